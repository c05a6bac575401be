// Numbered, append-only schema changes. Never edit a migration that has shipped: add a new one.
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [];

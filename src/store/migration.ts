// One numbered schema change (see ./migrations.ts for the list and its rules).
export interface Migration {
  id: number;
  name: string;
  sql: string;
}

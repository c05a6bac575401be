// One numbered schema change, written for both engines (see ./migrations.ts for the list and its rules).
export interface Migration {
  id: number;
  name: string;
  /** SQLite (the embedded default). */
  sql: string;
  /** PostgreSQL (DATABASE_URL): the same tables; BIGINT for times and ids, identity columns for AUTOINCREMENT. */
  postgres: string;
}

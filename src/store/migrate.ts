// Runs ./migrations.ts with Kysely's migrator: in a transaction each, under a lock on PostgreSQL (several bot
// processes may start at once), recorded in kysely_migration. Migrations are named "0100 quiz: …" so they sort
// by id; one that arrives with a lower id than an applied one still runs (branches merge in any order).
import { type Kysely, sql } from "kysely";
import { type Migration as KyselyMigration, Migrator } from "kysely/migration";
import { type Migration, migrations } from "./migrations.js";
import type { Store } from "./store.js";

/** Splits a migration into statements at each ";" that ends a line (better-sqlite3 runs one at a time). */
export function statements(text: string): string[] {
  return text
    .split(/;[ \t]*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Files made before Kysely (the bot's first version) recorded their migrations in schema_migrations. A
 * migration found there already ran: it is recorded for Kysely without running again.
 */
async function ranBeforeKysely(db: Kysely<unknown>, store: Store, id: number): Promise<boolean> {
  if (store.engine !== "sqlite") return false;
  const legacy = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM sqlite_master
    WHERE type = 'table' AND name = 'schema_migrations'`.execute(db);
  if (!legacy.rows[0]?.n) return false;
  const found = await sql`SELECT 1 FROM schema_migrations WHERE id = ${id}`.execute(db);
  return found.rows.length > 0;
}

export const migrationName = (m: Migration) => `${String(m.id).padStart(4, "0")} ${m.name}`;

function toKysely(store: Store, m: Migration): KyselyMigration {
  return {
    async up(db) {
      if (await ranBeforeKysely(db, store, m.id)) return;
      for (const statement of statements(store.engine === "sqlite" ? m.sql : m.postgres))
        await sql.raw(statement).execute(db);
    },
  };
}

/** Applies every migration not yet applied; returns the names of those it applied. */
export async function migrateToLatest(store: Store, list: Migration[] = migrations): Promise<string[]> {
  const ids = new Set<number>();
  for (const m of list) {
    if (ids.has(m.id)) throw new Error(`two migrations have the id ${m.id}`);
    ids.add(m.id);
  }
  const migrator = new Migrator({
    db: store.db,
    provider: {
      getMigrations: async () => Object.fromEntries(list.map((m) => [migrationName(m), toKysely(store, m)])),
    },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed ? `"${failed}" ` : ""}failed: ${why}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

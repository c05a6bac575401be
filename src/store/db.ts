// The store: one Kysely instance over either engine. Empty DATABASE_URL: the SQLite file at DATABASE_PATH
// (WAL, synchronous FULL), the embedded default. DATABASE_URL=postgres://…: PostgreSQL, for several bot
// processes or machines. The same queries run on both; each area owns its tables through numbered
// migrations (./migrations.ts, run by ./migrate.ts); nothing else creates tables.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { type DialectAdapter, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from "kysely";
import pg from "pg";
import { migrateToLatest } from "./migrate.js";
import type { Tables } from "./schema.js";
import { type Store, type StoreLocation, storeOn } from "./store.js";

export type { Engine, Store, StoreLocation } from "./store.js";

/** Opens the store and brings its schema up to date (several processes may do so at once on PostgreSQL). */
export async function openStore(where: StoreLocation | string): Promise<Store> {
  const loc = typeof where === "string" ? { path: where } : where;
  const store = loc.url ? openPostgres(loc.url) : openSqlite(loc.path);
  try {
    await migrateToLatest(store);
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  return store;
}

function openSqlite(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a committed answer survives a power cut, not only a crash of the bot.
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return storeOn(
    new Kysely<Tables>({ dialect: new TransactionalDdlSqliteDialect({ database: sqlite }) }),
    "sqlite",
  );
}

/**
 * SQLite does run CREATE TABLE inside a transaction, but Kysely's adapter says it does not, so its migrator
 * would apply a migration statement by statement: a crash halfway would leave a table without its index
 * and the migration unrecorded. Saying so makes the migrator apply and record migrations in one transaction.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class TransactionalDdlSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

// BIGINT (times in ms, ids, COUNT, SUM of integers) comes back as a JS number: every value we store fits in
// 2^53. Set on our pool only, not on pg's global type table.
const INT8 = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres(url: string): Store {
  const pool = new pg.Pool({
    connectionString: url,
    types: pgTypes,
    max: 10,
    // A database that does not answer fails the interaction in time for the member to get an apology.
    connectionTimeoutMillis: 2000,
    idleTimeoutMillis: 30_000,
  });
  // A connection cut by a server restart emits "error"; with no listener that would end the process. An idle
  // one reports on the pool, which drops it (the next query reconnects); one in use reports on the client and
  // its query fails with the same error, which reaches the caller.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return storeOn(new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), "postgres");
}

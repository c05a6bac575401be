// What every store class is built on: the Kysely instance, the engine under it, and its transactions.
// Opened by ./db.ts; kept apart from it so ./migrate.ts can use the type without an import cycle.
import type { Kysely } from "kysely";
import type { Tables } from "./schema.js";

export type Engine = "sqlite" | "postgres";

export interface Store {
  db: Kysely<Tables>;
  engine: Engine;
  /**
   * Runs `fn` in one transaction, on a store whose queries belong to it; inside a transaction already, joins
   * it. Stores that must write several rows together use this, so a caller can wrap several stores' writes.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function storeOn(db: Kysely<Tables>, engine: Engine): Store {
  const store: Store = {
    db,
    engine,
    transaction: (fn) =>
      db.isTransaction ? fn(store) : db.transaction().execute((trx) => fn(storeOn(trx, engine))),
    close: () => db.destroy(),
  };
  return store;
}

export interface StoreLocation {
  /** postgres://user:password@host:port/database; empty or absent: SQLite at `path`. */
  url?: string | undefined;
  /** The SQLite file (or ":memory:"). */
  path: string;
}

// The store under test on each engine: SQLite (a fresh file) and PostgreSQL (a fresh database on a throwaway
// server, started once per test file when first needed). Every store test runs against both:
//   for (const engine of storeEngines()) describe.skipIf(engine.skip !== null)(engine.title, () => { ... });
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { type Engine, openStore, type Store, type StoreLocation } from "../../src/store/db.js";
import { type PostgresServer, postgresUnavailable, startPostgres } from "./postgres.js";

export interface EngineUnderTest {
  name: Engine;
  /** The describe title: the engine, and why it is skipped when it is. */
  title: string;
  /** Why this engine cannot be tested here (null: it can). */
  skip: string | null;
  /** Where a fresh, empty store lives (a file path, or a database URL). */
  location(): Promise<StoreLocation>;
  /** A migrated store, fresh or at a location from location(); closed after the file's tests. */
  open(where?: StoreLocation): Promise<Store>;
  /** The PostgreSQL server (for fault tests); null on SQLite. */
  server(): Promise<PostgresServer | null>;
}

/** Call once at the top level of a test file: registers the clean-up of everything it opens. */
export function storeEngines(): EngineUnderTest[] {
  const opened: Store[] = [];
  let dir: string | undefined;
  let pg: Promise<PostgresServer> | undefined;
  let files = 0;
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close().catch(() => {})));
    if (pg) await (await pg).close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const server = () => {
    pg ??= startPostgres();
    return pg;
  };
  const make = (
    name: Engine,
    skip: string | null,
    location: EngineUnderTest["location"],
    getServer: EngineUnderTest["server"],
  ): EngineUnderTest => ({
    name,
    title: `${name}${skip ? ` (skipped: ${skip})` : ""}`,
    skip,
    location,
    server: getServer,
    async open(where?: StoreLocation) {
      const store = await openStore(where ?? (await location()));
      opened.push(store);
      return store;
    },
  });
  return [
    make(
      "sqlite",
      null,
      async () => {
        dir ??= mkdtempSync(join(tmpdir(), "tutor-store-"));
        return { path: join(dir, `t${++files}.db`) };
      },
      async () => null,
    ),
    make(
      "postgres",
      postgresUnavailable(),
      async () => ({ url: await (await server()).createDatabase(), path: "unused" }),
      server,
    ),
  ];
}

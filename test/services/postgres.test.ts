// The throwaway PostgreSQL the store tests use: fresh databases, a committed row survives an immediate
// shutdown (the crash the fault tests simulate), and the server and its data are gone after close().
import { existsSync } from "node:fs";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type PostgresServer, postgresUnavailable, startPostgres } from "./postgres.js";

const unavailable = postgresUnavailable();

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe.skipIf(unavailable !== null)(
  `test PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let server: PostgresServer | undefined;
    afterAll(async () => {
      await server?.close();
    });

    it("serves fresh databases on 127.0.0.1 and keeps committed rows across an immediate shutdown", async () => {
      server = await startPostgres();
      const a = await server.createDatabase();
      const b = await server.createDatabase();
      expect(a).not.toBe(b);
      await query(a, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (42)");
      expect(await query(b, "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'")).toEqual([
        { n: 0 },
      ]);
      await server.crash();
      expect(server.running).toBe(false);
      await expect(query(a, "SELECT 1")).rejects.toThrow();
      await server.start();
      expect(await query(a, "SELECT x FROM t")).toEqual([{ x: 42 }]);
    });

    it("removes its data directory on close", async () => {
      const own = await startPostgres();
      const [row] = await query<{ dir: string }>(own.url, "SELECT current_setting('data_directory') AS dir");
      expect(row && existsSync(row.dir)).toBe(true);
      await own.close();
      expect(existsSync(row?.dir ?? "")).toBe(false);
    });
  },
);

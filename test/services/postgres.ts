// A throwaway PostgreSQL server for tests: initdb in a temp dir (as the `postgres` OS user when we are root:
// initdb refuses root), listening on 127.0.0.1 on a free port, removed with its data afterwards.
//   const pg = await startPostgres();
//   const url = await pg.createDatabase();   // a fresh, empty database: postgres://postgres@127.0.0.1:PORT/t_...
//   await pg.crash(); await pg.start();      // an immediate shutdown (as a power cut or kill -9), then recovery
//   await pg.close();
import { execFileSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort, missingBinary, type ServiceProcess, startService, waitUntilReady } from "./process.js";

export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";
const DIR_PREFIX = "tutor-test-pg-";

/** Why PostgreSQL tests cannot run here (null: they can), for describe.skipIf's message. */
export const postgresUnavailable = (): string | null =>
  missingBinary(join(POSTGRES_BIN, "postgres"), "postgresql");

export interface PostgresServer {
  readonly port: number;
  /** The server's own `postgres` database (superuser `postgres`, no password: trust on 127.0.0.1). */
  readonly url: string;
  readonly running: boolean;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Starts it again (same port, same data) after stop() or crash(). */
  start(): Promise<void>;
  /** A fast shutdown (SIGINT): clients are disconnected, committed data is kept. */
  stop(): Promise<void>;
  /** An immediate shutdown (SIGQUIT), as after a crash: the next start() replays the WAL. */
  crash(): Promise<void>;
  /** Stops it and deletes its data. */
  close(): Promise<void>;
}

/** The uid/gid initdb and postgres run as: `postgres` when we are root (both refuse root), else ourselves. */
function serverUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Data dirs left by a test process that was killed before it could clean up (no live postmaster). */
function sweepStale(): void {
  const now = Date.now();
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      if (now - statSync(dir).mtimeMs < 10 * 60_000) continue; // maybe another test's, still starting
      const pidFile = join(dir, "data", "postmaster.pid");
      if (existsSync(pidFile)) {
        const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
        try {
          process.kill(pid, 0);
          continue; // alive
        } catch {}
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {}
  }
}

async function canQuery(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

let databases = 0;

export async function startPostgres(): Promise<PostgresServer> {
  const reason = postgresUnavailable();
  if (reason) throw new Error(reason);
  sweepStale();
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  const data = join(dir, "data");
  const sockets = join(dir, "sockets");
  mkdirSync(sockets);
  if (user.uid !== undefined) {
    chownSync(dir, user.uid, user.gid ?? user.uid);
    chownSync(sockets, user.uid, user.gid ?? user.uid);
  }
  try {
    execFileSync(
      join(POSTGRES_BIN, "initdb"),
      ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
      { ...user, stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${e.stderr?.toString() || e.message}`);
  }
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let proc: ServiceProcess | null = null;
  const start = async () => {
    if (proc) return;
    // fsync stays on: the fault tests and the bench need PostgreSQL's real durability.
    const p = startService(
      join(POSTGRES_BIN, "postgres"),
      ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", sockets, "-c", "shared_buffers=32MB"],
      { deathSignal: "SIGQUIT", ...user, cwd: dir },
    );
    proc = p;
    await waitUntilReady(`PostgreSQL on port ${port}`, p, () => canQuery(url));
  };
  const halt = async (signal: NodeJS.Signals) => {
    const p = proc;
    proc = null;
    await p?.stop(signal);
  };
  try {
    await start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url,
    get running() {
      return proc !== null;
    },
    async createDatabase(name = `t_${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    start,
    stop: () => halt("SIGINT"),
    crash: () => halt("SIGQUIT"),
    async close() {
      await halt("SIGINT");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

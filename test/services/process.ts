// What the throwaway test servers (PostgreSQL, Redis) share: a free port, a child that dies with the test
// process, and waiting until it answers.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { inCI } from "../ci.js";

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * Why a service binary cannot be used here (null: it can), for a test's skip message. With CI set the tests
 * must run (as test/sandboxGate.ts decides for the sandbox): a missing server fails the suite at its load.
 */
export function missingBinary(path: string, apt: string): string | null {
  if (existsSync(path)) return null;
  const why = `${path} is missing (install the Debian package ${apt}: bash scripts/setup.sh --tests)`;
  if (inCI()) throw new Error(`CI is set, so the tests that need ${apt} must run, but ${why}`);
  return why;
}

export interface ServiceProcess {
  child: ChildProcess;
  /** The last lines it printed, for an error message when it does not come up. */
  log(): string;
  /** Resolves with the exit code (or the signal's name) once it has exited. */
  exited: Promise<number | string>;
  /** Sends the signal and waits for the exit; at once when it has already exited. */
  stop(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a server process. `setpriv --pdeathsig` makes the kernel send it `deathSignal` when the test process
 * dies (a crashed or killed vitest worker), so no test server outlives its tests.
 */
export function startService(
  command: string,
  args: string[],
  opts: { deathSignal: NodeJS.Signals; uid?: number; gid?: number; cwd?: string },
): ServiceProcess {
  const child = spawn(
    "setpriv",
    ["--pdeathsig", opts.deathSignal.replace(/^SIG/, ""), "--", command, ...args],
    {
      stdio: ["ignore", "pipe", "pipe"],
      uid: opts.uid,
      gid: opts.gid,
      cwd: opts.cwd,
    },
  );
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
    child.once("error", (err) => {
      keep(Buffer.from(`\n${err.message}`));
      resolve("spawn error");
    });
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    child,
    log: () => tail,
    exited,
    async stop(signal) {
      if (done) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** Polls `ready` until it is true; throws (with the service's log) when the process exits or time runs out. */
export async function waitUntilReady(
  what: string,
  proc: ServiceProcess,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  let exited = false;
  void proc.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${what} exited while starting:\n${proc.log()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  await proc.stop("SIGKILL");
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s:\n${proc.log()}`);
}

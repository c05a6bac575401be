// `tutor worker` processes for tests: the real command, each with its own sandbox uids, dying with the test
// process (setpriv --pdeathsig), and a way to wait until the queue sees them.

import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { loadCoreConfig } from "../../src/config.js";
import { openRedis, QUEUE_NAME } from "../../src/runQueue/redis.js";
import { type ServiceProcess, startService } from "../services/process.js";

const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let started = 0;

export interface WorkerProcess {
  readonly pid: number;
  readonly proc: ServiceProcess;
  /** kill -9: no clean-up at all. */
  kill(): Promise<void>;
  /** SIGTERM: the runs in progress finish first. */
  stop(): Promise<void>;
}

/** Starts `tutor worker` against `url`; each gets uids of its own (the sandboxes of two workers never share). */
export function startWorker(url: string, env: Record<string, string> = {}): WorkerProcess {
  // The configured base (an empty setting means the default), then a block of its own for each worker.
  const base = loadCoreConfig().SANDBOX_UID_BASE + 100 + 20 * started++;
  const vars = {
    RUNS_QUEUE_URL: url,
    SANDBOX_UID_BASE: String(base),
    SANDBOX_WARM_POOL: "1",
    LOG_LEVEL: process.env.E2E_LOG ?? "warn",
    ...env,
  };
  const proc = startService(
    "/usr/bin/env",
    [
      ...Object.entries(vars).map(([k, v]) => `${k}=${v}`),
      process.execPath,
      "--import",
      "tsx",
      CLI,
      "worker",
    ],
    { deathSignal: "SIGKILL", cwd: ROOT },
  );
  return {
    pid: proc.child.pid ?? -1,
    proc,
    kill: () => proc.stop("SIGKILL"),
    stop: () => proc.stop("SIGTERM"),
  };
}

/** A Queue handle for looking at the run queue from a test (the jobs, the connected workers). */
export function inspectQueue(url: string): Queue {
  const queue = new Queue(QUEUE_NAME, { connection: openRedis(url, "commands") });
  queue.on("error", () => undefined); // Redis outages are part of the tests
  return queue;
}

/** Waits until `count` workers are connected; throws with their logs when one exits or time runs out. */
export async function waitForWorkers(
  queue: Queue,
  workers: WorkerProcess[],
  count: number,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await queue.getWorkersCount().catch(() => 0)) >= count) return;
    for (const w of workers) {
      const code = await Promise.race([w.proc.exited, new Promise((r) => setTimeout(() => r(null), 1))]);
      if (code !== null)
        throw new Error(`tutor worker ${w.pid} exited (${code}) while starting:\n${w.proc.log()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`fewer than ${count} workers connected within ${timeoutMs / 1000} s`);
}

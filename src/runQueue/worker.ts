// The worker's side of the run queue: takes runs from BullMQ and runs them on a Sandbox (src/sandbox).
//
// At most once, even when a worker dies: attempts 1 (the bot's add), maxStalledCount 0 (a run whose worker
// vanished is failed, never handed to another worker), maxStartedAttempts 1 (belt and braces), and a lock
// longer than the longest run, renewed while it runs.
import { hostname } from "node:os";
import { Worker } from "bullmq";
import type { Logger } from "../logger.js";
import { refused } from "../sandbox/classify.js";
import type { DoctorReport, RunResult, Sandbox, Tier } from "../sandbox/types.js";
import { RunAdmission } from "./admission.js";
import { fromJobRequest, type RunJob } from "./job.js";
import { KEY_PREFIX, lockDurationMs, openRedis, QUEUE_NAME, STALLED_INTERVAL_MS } from "./redis.js";
import { NOT_STARTED, RUNNER_STOPPED } from "./texts.js";

const TIER_ORDER: Tier[] = ["A", "B", "C", "D"];

/** Why a worker with this doctor report must not take runs (null: it may). */
export function tierRefusal(report: DoctorReport, minTier: Tier): string | null {
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (report.inconclusive.length > 0)
    return `the sandbox doctor could not prove isolation (${report.inconclusive.join(", ")} inconclusive: the machine was too busy to observe)`;
  if (!report.publicRuns)
    return `the sandbox doctor refuses public runs (tier ${report.tier}; ${failed.join("; ")})`;
  if (TIER_ORDER.indexOf(report.tier) > TIER_ORDER.indexOf(minTier))
    return `this machine gives sandbox tier ${report.tier}, below the required tier ${minTier} (WORKER_MIN_TIER)${failed.length ? `: ${failed.join("; ")}` : ""}`;
  return null;
}

export interface RunWorkerOptions {
  url: string;
  sandbox: Sandbox;
  /** Runs at once: the sandbox's own concurrency, so nothing waits inside the worker. */
  concurrency: number;
  /** The wall limit of a run (SANDBOX_WALL_MS): the lock outlives it. */
  wallMs: number;
  logger?: Logger | undefined;
}

export interface RunWorker {
  /** Shown in Redis' client list and on each job it took: host:pid. */
  readonly name: string;
  /** Resolves once it is connected and taking runs. */
  ready(): Promise<void>;
  /** Stops taking runs and waits for the ones it is running. */
  close(): Promise<void>;
}

export function startRunWorker(o: RunWorkerOptions): RunWorker {
  const connection = openRedis(o.url, "blocking");
  const admission = new RunAdmission(connection, KEY_PREFIX);
  const name = `${hostname()}:${process.pid}`;
  const worker = new Worker<RunJob, RunResult>(
    QUEUE_NAME,
    async (job) => {
      const { request, notAfter } = job.data;
      const stdinGiven = request.stdin !== undefined && request.stdin !== "";
      admission.started(job.id ?? "").catch(() => undefined); // its place in line is freed for the others
      // Never twice: BullMQ already refuses a second start; this says so in words if it ever gets here.
      if (job.attemptsStarted > 1) return refused(RUNNER_STOPPED, stdinGiven);
      // The bot stopped waiting for it: running it now would be behind the member's back.
      if (Date.now() > notAfter) return refused(NOT_STARTED, stdinGiven);
      const t = performance.now();
      const result = await o.sandbox.run(fromJobRequest(request));
      o.logger?.debug({ job: job.id, ms: Math.round(performance.now() - t) }, "run done");
      return result;
    },
    {
      connection,
      name,
      concurrency: o.concurrency,
      lockDuration: lockDurationMs(o.wallMs),
      stalledInterval: STALLED_INTERVAL_MS,
      maxStalledCount: 0,
      maxStartedAttempts: 1,
      removeOnComplete: { age: 600 },
      removeOnFail: { age: 600 },
    },
  );
  worker.on("error", (err) => o.logger?.warn({ err: err.message }, "run worker connection"));
  worker.on("failed", (job, err) => o.logger?.warn({ job: job?.id, err: err.message }, "run failed"));
  return {
    name,
    ready: () => worker.waitUntilReady().then(() => undefined),
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}

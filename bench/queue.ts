// Run-queue figures, measured in one run against a throwaway Redis and real `tutor worker` processes: the
// latency a /run pays for going through the queue instead of the in-process sandbox host (interleaved, both
// with a warm pool), and throughput with one and with two workers on this machine.
import { availableParallelism } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { loadCoreConfig } from "../src/config.js";
import { createRunQueue, type RunQueue } from "../src/runQueue/client.js";
import { createSandboxHost } from "../src/runs/host/client.js";
import type { Sandbox } from "../src/sandbox/index.js";
import { inspectQueue, startWorker, type WorkerProcess, waitForWorkers } from "../test/runQueue/workers.js";
import { redisUnavailable, startRedis } from "../test/services/redis.js";
import type { BenchRow } from "./types.js";

const ROUNDS = 41;
const HELLO = "print('hello')\n";
const BUSY = "s = sum(range(100000))\nprint(s)\n";

const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function timed(sandbox: Sandbox): Promise<number> {
  const t = performance.now();
  const r = await sandbox.run({ code: HELLO, ownerId: "bench" });
  if (r.status !== "ok") throw new Error(`a bench run was ${r.status}: ${r.reason ?? r.stderr}`);
  return performance.now() - t;
}

/** Runs/s with 2x cores callers, each its own member, back to back. */
async function throughput(queue: RunQueue): Promise<{ perSecond: number; failed: number; runs: number }> {
  const callers = 2 * availableParallelism();
  const perCaller = 40; // a few seconds of runs: a steadier rate than a burst
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < perCaller; i++)
        if ((await queue.run({ code: BUSY, ownerId: `member-${c}` })).status !== "ok") failed++;
    }),
  );
  const runs = callers * perCaller;
  return { perSecond: runs / ((performance.now() - t0) / 1000), failed, runs };
}

export async function run(): Promise<BenchRow[]> {
  const area = "queue";
  const missing = redisUnavailable();
  if (missing) return [{ area, name: "run queue", value: 0, unit: "", note: `skipped: ${missing}` }];
  const config = loadCoreConfig();
  const redis = await startRedis();
  const inspect = inspectQueue(redis.url);
  const workers: WorkerProcess[] = [];
  const host = createSandboxHost({ ...config, SANDBOX_WARM_POOL: 2 });
  let queue: RunQueue | null = null;
  try {
    // Tier B accepted: the bench measures the queue, and the doctor's timing probes flake on a loaded machine.
    const workerEnv = { WORKER_MIN_TIER: "B", SANDBOX_WARM_POOL: "2", LOG_LEVEL: "warn" };
    workers.push(startWorker(redis.url, workerEnv));
    await waitForWorkers(inspect, workers, 1);
    queue = createRunQueue({
      ...config,
      RUNS_QUEUE_URL: redis.url,
      SANDBOX_QUEUE_MAX: Math.max(config.SANDBOX_QUEUE_MAX, 4 * availableParallelism()),
    });
    await timed(host);
    await timed(queue);

    // Latency: one run at a time, alternating host and queue so both see the same load.
    const direct: number[] = [];
    const queued: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sleep(150); // the warm pools refill between runs, as between members' messages
      direct.push(await timed(host));
      await sleep(150);
      queued.push(await timed(queue));
    }
    const one = await throughput(queue);
    workers.push(startWorker(redis.url, workerEnv));
    await waitForWorkers(inspect, workers, 2);
    await sleep(500);
    const two = await throughput(queue);

    const added = percentile(queued, 50) - percentile(direct, 50);
    return [
      { area, name: "hello world p50, in-process sandbox host", value: percentile(direct, 50), unit: "ms" },
      {
        area,
        name: "hello world p50, through the queue (1 worker)",
        value: percentile(queued, 50),
        unit: "ms",
        note: `p99 ${percentile(queued, 99).toFixed(1)} ms vs ${percentile(direct, 99).toFixed(1)} ms in-process`,
      },
      {
        area,
        name: "queue's added latency p50",
        value: added,
        unit: "ms",
        target: "<= +5 ms",
        ok: added <= 5,
      },
      {
        area,
        name: "throughput, 1 worker",
        value: one.perSecond,
        unit: "runs/s",
        note: `${one.runs} runs from ${2 * availableParallelism()} members, ${one.failed} failed`,
      },
      {
        area,
        name: "throughput, 2 workers",
        value: two.perSecond,
        unit: "runs/s",
        note: `${two.runs} runs, ${two.failed} failed; both workers share this machine's ${availableParallelism()} cores`,
      },
      {
        area,
        name: "failed runs through the queue",
        value: one.failed + two.failed,
        unit: "runs",
        target: "= 0",
        ok: one.failed + two.failed === 0,
      },
    ];
  } finally {
    await queue?.close();
    await host.close();
    await Promise.allSettled(workers.map((w) => w.stop()));
    await inspect.close();
    await redis.close();
  }
}

// The run queue for real: a throwaway Redis, two `tutor worker` processes (real sandboxes) and two queue
// clients standing for two bot processes. Fair and bounded across processes, at most once when a worker is
// killed -9 mid-run, and back by itself after Redis was stopped for 5 s.
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createRunQueue, type RunQueue } from "../../src/runQueue/client.js";
import { createSharedCooldowns } from "../../src/runQueue/cooldowns.js";
import { NO_WORKERS, OWNER_FULL, QUEUE_DOWN, RUNNER_STOPPED } from "../../src/runQueue/texts.js";
import type { RunResult } from "../../src/sandbox/types.js";
import { sandboxSkipReason } from "../e2e/harness.js";
import { sleepersWithMarker } from "../sandbox/canaries.js";
import { type RedisServer, redisUnavailable, startRedis } from "../services/redis.js";
import { inspectQueue, startWorker, type WorkerProcess, waitForWorkers } from "./workers.js";

const WALL_MS = 4000;
const skip = redisUnavailable() ?? (await sandboxSkipReason());
if (skip) console.warn(`SKIPPED: ${skip}`);

let redis: RedisServer;
let workers: WorkerProcess[] = [];
let inspect: Queue;
/** Two clients: two bot processes, sharing nothing but Redis. */
let botA: RunQueue;
let botB: RunQueue;

const clientConfig = (url: string, env: Record<string, string> = {}) =>
  loadCoreConfig({ RUNS_QUEUE_URL: url, SANDBOX_WALL_MS: String(WALL_MS), LOG_LEVEL: "silent", ...env });

beforeAll(async () => {
  if (skip) return;
  redis = await startRedis();
  inspect = inspectQueue(redis.url);
  // Tier B suffices here: the doctor's "unprivileged uid" probe (a sleeper it must spot within ~1 s) misses on
  // this loaded shared machine now and then, and these tests are about the queue, not about tiers.
  const env = {
    SANDBOX_CONCURRENCY: "1",
    SANDBOX_WALL_MS: String(WALL_MS),
    SANDBOX_CPU_SECONDS: "4",
    WORKER_MIN_TIER: "B",
  };
  // One after the other: two doctors at once on a loaded 2-core machine make its timing probes flaky.
  workers = [startWorker(redis.url, env)];
  await waitForWorkers(inspect, workers, 1);
  workers.push(startWorker(redis.url, env));
  await waitForWorkers(inspect, workers, 2);
  botA = createRunQueue(clientConfig(redis.url));
  botB = createRunQueue(clientConfig(redis.url));
  expect((await botA.doctor()).checks.map((c) => c.ok)).toEqual([true, true]);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([botA?.close(), botB?.close(), inspect?.close()]);
  await Promise.allSettled(workers.map((w) => w.kill()));
  await redis?.close();
});

/** A program that prints when it started and ended (seconds since the epoch), sleeping between. */
const timed = (seconds: number) =>
  `import time\nstart = time.time()\ntime.sleep(${seconds})\nprint(start, time.time())\n`;
const span = (r: RunResult): [number, number] => r.stdout.trim().split(" ").map(Number) as [number, number];

describe.skipIf(skip !== null)("the run queue", () => {
  it("runs code on a worker and brings back the clause report", async () => {
    const result = await botA.run({
      code: "try:\n    print(1 / 0)\nexcept ZeroDivisionError:\n    print('caught')\nfinally:\n    print('done')\n",
      ownerId: "alice",
    });
    expect(result.status).toBe("ok");
    expect(result.stdout).toBe("caught\ndone\n");
    expect(result.tries).toMatchObject([
      { line: 1, raised: "ZeroDivisionError", finally: true, outcome: "caught" },
    ]);
    expect(result.output.map((o) => o.clause)).toEqual(["except", "finally"]);
  });

  it("keeps one run in flight per member across bot processes, three waiting, and refuses a fifth", async () => {
    const positions: number[] = [];
    const onQueue = (p: number) => positions.push(p);
    // Alice's five runs, alternating between the two bot processes; Bob's one run goes meanwhile.
    const alice = [botA, botB, botA, botB, botA].map((bot) =>
      bot.run({ code: timed(0.6), ownerId: "alice", onQueue }),
    );
    const bob = botB.run({ code: timed(0.6), ownerId: "bob" });
    const results = await Promise.all(alice);
    const refusedOnes = results.filter((r) => r.status === "refused");
    expect(refusedOnes.map((r) => r.reason)).toEqual([OWNER_FULL]);
    const spans = results.filter((r) => r.status === "ok").map(span);
    expect(spans).toHaveLength(4);
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++)
      expect(spans[i]?.[0]).toBeGreaterThanOrEqual(spans[i - 1]?.[1] ?? 0);
    // Bob did not wait for Alice's line: his run overlapped one of hers on the other worker.
    const [bobStart, bobEnd] = span(await bob);
    expect(spans.some(([s, e]) => s < bobEnd && bobStart < e)).toBe(true);
    // Her waiting runs were told their place in the queue.
    expect(Math.max(...positions)).toBeGreaterThan(0);
    expect(positions).toContain(0);
  });

  it("refuses politely when the whole queue is full", async () => {
    const small = createRunQueue(clientConfig(redis.url, { SANDBOX_QUEUE_MAX: "2" }));
    try {
      const results = await Promise.all(
        ["m1", "m2", "m3", "m4", "m5", "m6"].map((m) => small.run({ code: timed(0.5), ownerId: m })),
      );
      const reasons = results.map((r) => r.reason ?? r.status);
      expect(
        reasons.filter((r) => r.startsWith("Too many runs are waiting right now (2 in the queue)")).length,
      ).toBeGreaterThan(0);
      expect(reasons.filter((r) => r === "ok").length).toBeGreaterThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  it("shares the /run cooldown between bot processes", async () => {
    const a = createSharedCooldowns(redis.url, 10);
    const b = createSharedCooldowns(redis.url, 10);
    // A bot whose clock is 11 s later (as a test moves the bot's clock): the wait is counted by that clock.
    const later = createSharedCooldowns(redis.url, 10, { now: () => Date.now() + 11_000 });
    try {
      await new Promise((r) => setTimeout(r, 300)); // connected
      expect(await a.take("carol")).toBe(0);
      const wait = await b.take("carol");
      expect(wait).toBeGreaterThan(8);
      expect(wait).toBeLessThanOrEqual(10);
      expect(await b.take("dave")).toBe(0);
      expect(await later.take("carol")).toBe(0);
      expect(await a.take("carol")).toBe(10); // the new wait, started by its clock, held to one whole wait here
    } finally {
      await Promise.all([a.close(), b.close(), later.close()]);
    }
  });

  it("answers a run whose worker is killed -9 mid-run, never runs it again, and the other worker serves the next", async () => {
    const marker = `${Date.now() % 100_000}.${process.pid}`;
    const running = botA.run({
      code: `import os\nprint("started", flush=True)\nos.execv("/usr/bin/sleep", ["sleep", "${marker}"])\n`,
      ownerId: "erin",
    });
    for (let i = 0; i < 500 && (await sleepersWithMarker(marker)).length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    const original = await sleepersWithMarker(marker);
    expect(original).toHaveLength(1);
    const [job] = await inspect.getActive();
    const victim = workers.find((w) => job?.processedBy?.endsWith(`:${w.pid}`));
    expect(victim, `the worker of job ${job?.id} (${job?.processedBy})`).toBeDefined();
    const killedAt = Date.now();
    await victim?.kill();
    // From the kill on, watch for the program starting anywhere again (a sleeper with another pid).
    let watching = true;
    const startedAgain = new Set<number>();
    const watch = (async () => {
      while (watching) {
        for (const pid of await sleepersWithMarker(marker))
          if (!original.includes(pid)) startedAgain.add(pid);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const result = await running;
    const answeredAfter = Date.now() - killedAt;
    console.log(
      `run of a worker killed -9: answered ${answeredAfter} ms after the kill (wall limit ${WALL_MS} ms)`,
    );
    expect(result.reason).toBe(RUNNER_STOPPED);
    expect(answeredAfter).toBeLessThan(WALL_MS + 5000);
    // The member code died with its worker's sandbox host (which gives its sandboxes up to 3 s) and was not
    // started anywhere else: BullMQ failed the run (maxStalledCount 0) instead of handing it to another worker.
    await new Promise((r) => setTimeout(r, 2000));
    watching = false;
    await watch;
    expect(startedAgain.size).toBe(0);
    expect(await sleepersWithMarker(marker)).toEqual([]);
    expect(await inspect.getJobState(job?.id ?? "")).toBe("failed");
    expect((await inspect.getJob(job?.id ?? ""))?.failedReason).toMatch(/stalled/);
    // The next run is served by the worker still alive.
    const next = await botB.run({ code: "print('still served')\n", ownerId: "erin" });
    expect(next.stdout).toBe("still served\n");
    workers = workers.filter((w) => w !== victim);
  });

  it("refuses runs plainly while Redis is stopped for 5 s, and runs again by itself when it is back", async () => {
    await redis.stop();
    const t = Date.now();
    const during = await botA.run({ code: "print(1)\n", ownerId: "frank" });
    expect(during.reason).toBe(QUEUE_DOWN);
    expect(Date.now() - t).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 5000));
    await redis.start();
    // Neither the bot's client nor the worker restarts: both reconnect on their own.
    const deadline = Date.now() + 30_000;
    let after: RunResult | null = null;
    const seen = new Set<string>();
    while (Date.now() < deadline) {
      after = await botA.run({ code: "print('back')\n", ownerId: "frank" });
      if (after.status === "ok") break;
      seen.add(after.reason ?? after.status);
      await new Promise((r) => setTimeout(r, 300));
    }
    console.log(`after Redis came back: refusals seen before recovery: ${[...seen].join(" | ") || "none"}`);
    expect(after?.stdout).toBe("back\n");
    expect([...seen].every((r) => r === QUEUE_DOWN || r === NO_WORKERS)).toBe(true);
  });
});

// The bot with RUNS_QUEUE_URL, as src/main.ts wires it (the queue client, explained; the shared cooldown),
// through a real Redis to a real `tutor worker`: /run is answered through the queue; with Redis stopped for
// 5 s /run is refused with a plain reason while quizzes are answered as ever; once Redis is back, /run works
// again without restarting anything.
import type { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createRunQueue } from "../../src/runQueue/client.js";
import { QUEUE_DOWN } from "../../src/runQueue/texts.js";
import { explaining, type Runner } from "../../src/runs/index.js";
import { inspectQueue, startWorker, type WorkerProcess, waitForWorkers } from "../runQueue/workers.js";
import { type RedisServer, redisUnavailable, startRedis } from "../services/redis.js";
import type { StoredMessage } from "../standin/server.js";
import { answer } from "./answers.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const skip = redisUnavailable() ?? (await sandboxSkipReason());
if (skip) console.warn(`SKIPPED: ${skip}`);

let redis: RedisServer;
let worker: WorkerProcess | null = null;
let inspect: Queue;
let runner: Runner;
let h: Harness;

beforeAll(async () => {
  if (skip) return;
  redis = await startRedis();
  inspect = inspectQueue(redis.url);
  // Tier B accepted: the doctor's timing probes flake on a loaded shared machine; this test is about the queue.
  worker = startWorker(redis.url, { WORKER_MIN_TIER: "B" });
  await waitForWorkers(inspect, [worker], 1);
  runner = explaining(createRunQueue(loadCoreConfig({ RUNS_QUEUE_URL: redis.url, LOG_LEVEL: "silent" })));
  h = await startHarness({ runCode: (req) => runner.run(req) });
}, 240_000);

afterAll(async () => {
  await h?.close();
  await runner?.close();
  await inspect?.close();
  await worker?.kill();
  await redis?.close();
});

async function runViaModal(user: string, code: string): Promise<StoredMessage> {
  const open = h.standin.slash("run", { user });
  await h.standin.modal(open);
  return await h.standin.reply(h.standin.submitModal(open, { code, stdin: "" }), 30_000);
}

describe.skipIf(skip !== null)("the bot on the run queue", () => {
  it("answers /run through the queue, with the clause explanation", async () => {
    const reply = await runViaModal("alice", "try:\n    print(1 / 0)\nfinally:\n    print('cleanup')\n");
    expect(reply.content).toContain("Uncaught ZeroDivisionError");
    expect(reply.content).toContain("cleanup");
    // The explanation (an embed) was added by the bot above the queue, from the worker's clause report.
    const explanation = (reply.embeds as { description?: string }[])
      .map((e) => e.description ?? "")
      .join("\n");
    expect(explanation).toMatch(/`finally` \(line 3\) ran with `ZeroDivisionError` still pending/);
    expect((await inspect.getCompleted()).length).toBeGreaterThan(0); // it really went through Redis
  });

  it("refuses /run plainly while Redis is stopped, answers quizzes meanwhile, and runs again once it is back", async () => {
    await redis.stop();
    try {
      const refused = await runViaModal("bob", "print('during the outage')\n");
      expect(refused.content).toContain("🚫");
      expect(refused.content).toContain(QUEUE_DOWN);
      // A quiz does not need the queue: asked and answered as ever.
      const question = await h.standin.reply(
        h.standin.slash("finally quiz", { user: "bob", options: { mode: "solo" } }),
      );
      const answered = await h.standin.reply((await answer(h, question, "bob", true)).ix);
      expect(answered.content).toContain("✅ **Right!**");
      await new Promise((r) => setTimeout(r, 5000));
    } finally {
      await redis.start();
    }
    // Nothing restarts: the bot's client and the worker reconnect by themselves.
    const deadline = Date.now() + 30_000;
    let reply = await runViaModal("bob", "print('back again')\n");
    while (!reply.content.includes("back again") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      reply = await runViaModal("bob", "print('back again')\n");
    }
    expect(reply.content).toContain("back again");
  });

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

// Concurrency rules with the real sandbox: one run in flight per owner, queue positions, a bounded queue.
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandbox } from "../../src/sandbox/index.js";
import { RunScheduler } from "../../src/sandbox/runQueue.js";

describe("RunScheduler", () => {
  it("runs one task per owner at a time and tells queue positions", async () => {
    const s = new RunScheduler(2, 10);
    const order: string[] = [];
    const positions: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = s.schedule("ann", undefined, async () => {
      order.push("ann-1 start");
      await gate;
      order.push("ann-1 end");
    });
    const second = s.schedule(
      "ann",
      (p) => positions.push(p),
      async () => {
        order.push("ann-2 start");
      },
    );
    const other = s.schedule("bob", undefined, async () => {
      order.push("bob start");
    });
    await other;
    expect(order).toEqual(["ann-1 start", "bob start"]);
    expect(positions).toEqual([1]);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["ann-1 start", "bob start", "ann-1 end", "ann-2 start"]);
    expect(positions).toEqual([1, 0]);
  });
  it("refuses when the queue is full", async () => {
    const s = new RunScheduler(1, 1);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const running = s.schedule(undefined, undefined, () => gate);
    const waiting = s.schedule(undefined, undefined, async () => "ran");
    await expect(s.schedule(undefined, undefined, async () => "ran")).rejects.toThrow(/waiting/);
    release();
    await running;
    expect(await waiting).toBe("ran");
  });
  it("refuses an owner's extra run once its share is waiting, and still queues others", async () => {
    const s = new RunScheduler(1, 10, 2);
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const running = s.schedule("ann", undefined, () => gate);
    const mine = [
      s.schedule("ann", undefined, async () => "a2"),
      s.schedule("ann", undefined, async () => "a3"),
    ];
    await expect(s.schedule("ann", undefined, async () => "a4")).rejects.toMatchObject({ scope: "owner" });
    const bob = s.schedule("bob", undefined, async () => "b1");
    release();
    await running;
    expect(await Promise.all([...mine, bob])).toEqual(["a2", "a3", "b1"]);
  });
});

const sandbox = createSandbox({ ...loadCoreConfig({}), SANDBOX_CONCURRENCY: 1, SANDBOX_QUEUE_MAX: 1 });
const availability = await sandbox.availability();
afterAll(() => sandbox.close());

describe.runIf(availability.ok)("sandbox queue", () => {
  it("queues a member's second run, then refuses politely when the queue is full", async () => {
    const positions: number[] = [];
    const slow = sandbox.run({ code: "import time\ntime.sleep(0.5)\nprint('first')", ownerId: "ann" });
    const queued = sandbox.run({
      code: "print('second')",
      ownerId: "ann",
      onQueue: (p) => positions.push(p),
    });
    const refused = await sandbox.run({ code: "print('third')", ownerId: "bob" });
    expect(refused.status).toBe("refused");
    expect(refused.reason).toMatch(/try again/);
    expect((await slow).stdout).toBe("first\n");
    expect((await queued).stdout).toBe("second\n");
    expect(positions).toEqual([1, 0]);
  });
  it("refuses empty code without running anything", async () => {
    const r = await sandbox.run({ code: "   \n" });
    expect(r).toMatchObject({ status: "refused", reason: "There is no code to run." });
  });
});

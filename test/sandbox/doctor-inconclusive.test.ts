// A doctor that could not observe in time (a machine too busy) is inconclusive, never a silent downgrade:
// it keeps the verdict proven earlier, or pauses runs until one is proven, and the watch checks again.
// A busy machine is simulated with a real sandbox whose probe wall clock is far too short to start Python.
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { statusOf, watchDoctor } from "../../src/sandbox/doctorWatch.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";

const starved = { probeWallMs: 1 };
const config = { ...loadCoreConfig({}), SANDBOX_WARM_POOL: 0 };
const available = (await createSandbox(config).availability()).ok;
const opened: Sandbox[] = [];
const sandbox = () => {
  const s = createSandbox(config);
  opened.push(s);
  return s;
};
afterAll(async () => {
  for (const s of opened) await s.close();
});

describe.runIf(available)("an inconclusive doctor", () => {
  it("pauses runs with a plain reason when nothing was proven yet, and says which check could not observe", async () => {
    const s = sandbox();
    const report = await s.doctor(starved);
    expect(report.inconclusive).toContain("sandbox starts");
    expect(report.publicRuns).toBe(false);
    expect(report.checks.find((c) => c.name === "sandbox starts")?.inconclusive).toBe(true);
    const run = await s.run({ code: "print('not yet')\n" });
    expect(run.status).toBe("refused");
    expect(run.stdout).toBe("");
    expect(run.reason).toMatch(/could not finish its probes \(sandbox starts\)/);
    expect(statusOf(report).summary).toMatch(/runs paused: isolation not proven yet/);
  }, 60_000);

  it("keeps the verdict proven earlier, and runs go on", async (ctx) => {
    const s = sandbox();
    // This needs one proven verdict first; on a machine too busy to give one in three tries, say so and skip.
    let proven = await s.doctor();
    for (let i = 0; i < 2 && proven.inconclusive.length > 0; i++) proven = await s.doctor();
    if (proven.inconclusive.length > 0)
      ctx.skip(`no verdict could be proven here: ${proven.inconclusive.join(", ")}`);
    const later = await s.doctor(starved);
    expect(later.keptEarlier).toBe(true);
    expect(later.tier).toBe(proven.tier);
    expect(later.publicRuns).toBe(proven.publicRuns);
    expect((await s.run({ code: "print(6 * 7)\n" })).stdout).toBe("42\n");
    expect(statusOf(later).summary).toMatch(/could not observe sandbox starts/);
  }, 120_000);
});

describe.runIf(available)("the doctor watch", () => {
  it("makes a run that arrives before the first verdict wait for it, saying so, then runs it", async () => {
    const watch = watchDoctor(sandbox());
    expect(watch.status().tier).toBeNull();
    let toldStartingUp = 0;
    const run = await watch.sandbox.run({
      code: "print('after the doctor')\n",
      onStartingUp: () => toldStartingUp++,
    });
    expect(toldStartingUp).toBe(1);
    expect(run.stdout).toBe("after the doctor\n");
    const verdict = await watch.firstVerdict;
    expect(watch.status().tier).toBe(verdict.tier);
    // Once the doctor has spoken, runs are not held back any more.
    await watch.sandbox.run({ code: "pass\n", onStartingUp: () => toldStartingUp++ });
    expect(toldStartingUp).toBe(1);
    watch.stop();
  }, 120_000);

  it("checks an unproven verdict again later, and runs once it is proven", async () => {
    const inner = sandbox();
    let calls = 0;
    // The first self-check meets a starved machine; the next one a quiet one.
    const busyFirst: Sandbox = {
      ...inner,
      limits: inner.limits,
      doctor: () => inner.doctor(calls++ === 0 ? starved : undefined),
    };
    const verdicts: boolean[] = [];
    const watch = watchDoctor(busyFirst, undefined, {
      recheckMs: [50],
      onVerdict: (r) => verdicts.push(r.publicRuns),
    });
    const first = await watch.firstVerdict;
    expect(first.publicRuns).toBe(false);
    expect((await watch.sandbox.run({ code: "print(1)\n" })).status).toBe("refused");
    // A busy machine may leave a re-check unproven too; the watch keeps checking until one is proven.
    while (!verdicts.includes(true) && verdicts.length < 5) await new Promise((r) => setTimeout(r, 100));
    expect(verdicts[0]).toBe(false);
    expect(verdicts.at(-1)).toBe(true);
    expect(watch.status().publicRuns).toBe(true);
    expect((await watch.sandbox.run({ code: "print(2)\n" })).stdout).toBe("2\n");
    watch.stop();
  }, 120_000);
});

describe("what moderators are told (statusOf)", () => {
  it("says a tier below A and why, naming the failed checks", () => {
    const summary = statusOf({
      tier: "B",
      publicRuns: true,
      inconclusive: [],
      checks: [
        { name: "sandbox starts", ok: true, detail: "" },
        { name: "per-run cgroup", ok: false, detail: "no writable cgroup v1" },
      ],
    }).summary;
    expect(summary).toMatch(/^tier B: .*one at a time \(failed: per-run cgroup\)$/);
  });
});

// The queue's settings and the worker's refusal rule, without Redis: what an operator gets wrong gets said.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { loadBotConfig, loadCoreConfig } from "../../src/config.js";
import { tierRefusal } from "../../src/runQueue/worker.js";
import type { DoctorReport } from "../../src/sandbox/index.js";

const report = (tier: DoctorReport["tier"], publicRuns = true): DoctorReport => ({
  tier,
  publicRuns,
  inconclusive: [],
  checks: [
    { name: "per-run cgroup", ok: tier === "A", detail: tier === "A" ? "memory + pids" : "not writable" },
  ],
});
const bot = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456" };

describe("tutor worker's tier rule", () => {
  it("takes runs at or above the required tier, refuses below it and whenever the doctor refuses", () => {
    expect(tierRefusal(report("A"), "A")).toBeNull();
    expect(tierRefusal(report("A"), "B")).toBeNull();
    expect(tierRefusal(report("B"), "B")).toBeNull();
    expect(tierRefusal(report("B"), "A")).toMatch(
      /tier B, below the required tier A \(WORKER_MIN_TIER\): per-run cgroup/,
    );
    expect(tierRefusal(report("A", false), "B")).toMatch(/refuses public runs/);
    expect(tierRefusal({ ...report("A"), inconclusive: ["no network"] }, "B")).toMatch(
      /could not prove isolation/,
    );
  });

  it("exits 2 with what to set when RUNS_QUEUE_URL is missing", async () => {
    const r = await execa(process.execPath, ["--import", "tsx", "src/cli/main.ts", "worker"], {
      env: { RUNS_QUEUE_URL: "" },
      reject: false,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("set RUNS_QUEUE_URL");
  });
});

describe("queue and shard settings", () => {
  it("reads RUNS_QUEUE_URL, WORKER_MIN_TIER and SHARD_COUNT, with their defaults", () => {
    const c = loadBotConfig(bot);
    expect(c.RUNS_QUEUE_URL).toBeUndefined();
    expect(c.WORKER_MIN_TIER).toBe("A");
    expect(c.SHARD_COUNT).toBe(1);
    const d = loadBotConfig({ ...bot, RUNS_QUEUE_URL: "redis://10.0.0.5:6379", SHARD_COUNT: "auto" });
    expect(d.SHARD_COUNT).toBe("auto");
    expect(loadBotConfig({ ...bot, RUNS_QUEUE_URL: "redis://q:6379", SHARD_COUNT: "4" }).SHARD_COUNT).toBe(4);
  });

  it("names a bad value, and shards without a shared queue", () => {
    expect(() => loadCoreConfig({ RUNS_QUEUE_URL: "http://x" })).toThrow(
      /^Setting RUNS_QUEUE_URL must be a redis/,
    );
    expect(() => loadCoreConfig({ WORKER_MIN_TIER: "D" })).toThrow(/^Setting WORKER_MIN_TIER /);
    expect(() => loadBotConfig({ ...bot, SHARD_COUNT: "0" })).toThrow(/^Setting SHARD_COUNT /);
    expect(() => loadBotConfig({ ...bot, SHARD_COUNT: "2" })).toThrow(
      /^Setting SHARD_COUNT above 1 needs RUNS_QUEUE_URL/,
    );
  });
});

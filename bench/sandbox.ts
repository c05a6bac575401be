// Sandbox figures, as ratios against a bare `python3.11 -I -S -c pass` spawned from Node in the same run:
// hello-world latency cold and warm, throughput at 2x cores, event-loop delay while saturated. Every
// run goes through the sandbox host, as the bot's do (src/main.ts): the delay is the caller's loop.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loadCoreConfig } from "../src/config.js";
import { createSandboxHost } from "../src/runs/host/client.js";
import type { BenchRow } from "./types.js";

const ROUNDS = 31;
const HELLO = "print('hello')\n";

/** Resident set size of a process in MB (0 when it is gone). */
function rssMb(pid: number | null): number {
  if (pid === null) return 0;
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function spawnBare(python: string): Promise<void> {
  const child = spawn(python, ["-I", "-S", "-c", "pass"], { stdio: ["pipe", "pipe", "pipe"], env: {} });
  child.stdin.end();
  child.stdout.resume();
  child.stderr.resume();
  await once(child, "close");
}

export async function run(): Promise<BenchRow[]> {
  const config = loadCoreConfig();
  const area = "sandbox";
  const probe = createSandboxHost({ ...config, SANDBOX_WARM_POOL: 0 });
  const avail = await probe.availability();
  await probe.close();
  if (!avail.ok) {
    return [{ area, name: "sandbox available", value: 0, unit: "", ok: false, note: avail.reason ?? "" }];
  }

  // Cold: no warm pool, every run pays the sandbox start-up. Interleaved with the bare baseline (spawned
  // the way the driver spawns, all pipes read to the end) so both see the same load on a shared machine.
  const cold = createSandboxHost({ ...config, SANDBOX_WARM_POOL: 0 });
  await cold.run({ code: HELLO });
  const bare: number[] = [];
  const coldTimes: number[] = [];
  let coldFailed = 0;
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await timed(() => spawnBare(config.PYTHON)));
    coldTimes.push(
      await timed(async () => {
        if ((await cold.run({ code: HELLO })).status !== "ok") coldFailed++;
      }),
    );
  }
  await cold.close();
  const bareMs = median(bare);
  const coldMs = median(coldTimes);

  // Warm: the pool had time to refill between requests, as between members' messages.
  const warm = createSandboxHost({ ...config, SANDBOX_WARM_POOL: 2 });
  await warm.run({ code: HELLO });
  const warmTimes: number[] = [];
  let warmFailed = 0;
  for (let i = 0; i < ROUNDS; i++) {
    await sleep(150);
    warmTimes.push(
      await timed(async () => {
        if ((await warm.run({ code: HELLO })).status !== "ok") warmFailed++;
      }),
    );
  }
  await warm.close();
  const warmMs = median(warmTimes);

  // Saturated: 2x cores callers, each with its own owner, back to back, while the event loop is watched.
  const callers = 2 * availableParallelism();
  const perCaller = 10;
  const busy = createSandboxHost({
    ...config,
    SANDBOX_QUEUE_MAX: Math.max(config.SANDBOX_QUEUE_MAX, callers),
  });
  await busy.run({ code: HELLO });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let failed = 0;
  delay.enable();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < perCaller; i++) {
        const r = await busy.run({ code: "s = sum(range(100000))\nprint(s)\n", ownerId: `owner-${c}` });
        if (r.status !== "ok") failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  delay.disable();
  const hostRssMb = rssMb(busy.pid);
  await busy.close();
  const p99 = delay.percentile(99) / 1e6;

  return [
    { area, name: "bare python3.11 -I -S -c pass (from Node)", value: bareMs, unit: "ms" },
    { area, name: "hello world, cold sandbox", value: coldMs, unit: "ms", note: `${coldFailed} failed` },
    {
      area,
      name: "cold / bare",
      value: coldMs / bareMs,
      unit: "x",
      target: "<= 2x",
      ok: coldMs / bareMs <= 2,
    },
    { area, name: "hello world, warm pool", value: warmMs, unit: "ms", note: `${warmFailed} failed` },
    {
      area,
      name: "warm / bare",
      value: warmMs / bareMs,
      unit: "x",
      target: "<= 0.5x",
      ok: warmMs / bareMs <= 0.5,
    },
    {
      area,
      name: `throughput, ${callers} callers at once`,
      value: (callers * perCaller) / seconds,
      unit: "runs/s",
      note: `${callers * perCaller} runs, concurrency ${config.SANDBOX_CONCURRENCY}`,
    },
    { area, name: "failed runs under load", value: failed, unit: "runs", target: "= 0", ok: failed === 0 },
    {
      area,
      name: "event-loop delay p99, saturated",
      value: p99,
      unit: "ms",
      target: "<= 20 ms",
      ok: p99 <= 20,
    },
    {
      area,
      name: "sandbox host memory, after the saturated runs",
      value: hostRssMb,
      unit: "MB",
      note: "resident set of the host process (the TypeScript loader is most of it)",
    },
  ];
}

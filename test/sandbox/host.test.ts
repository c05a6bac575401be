// The sandbox host (src/runs/host/): the driver in its own process, as the bot runs it. Real
// sandboxes, a real child process; the test kills that process to prove a crash loses no request.
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { getPriority, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandboxHost } from "../../src/runs/host/client.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { sleepersWithMarker } from "./canaries.js";

const lines: Record<string, unknown>[] = [];
const logger = pino(
  { level: "debug" },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString("utf8")));
      done();
    },
  }),
);
const host = createSandboxHost({ ...loadCoreConfig({}), SANDBOX_CONCURRENCY: 1, LOG_LEVEL: "debug" }, logger);
const skip = await sandboxSkipReason();
await host.availability(); // starts the host process, whose pid the tests check
afterAll(() => host.close());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(skip === null)(`sandbox host${skip === null ? "" : ` (skipped: ${skip})`}`, () => {
  it("runs code in its own process and returns the whole result, queue positions included", async () => {
    expect(host.pid).not.toBeNull();
    expect(host.pid).not.toBe(process.pid);
    const positions: number[] = [];
    const slow = host.run({ code: "import time\ntime.sleep(0.3)\nprint('first')", ownerId: "ann" });
    const r = await host.run({
      code: "try:\n    print('hi')\nfinally:\n    print('bye')\n",
      ownerId: "bob",
      onQueue: (p) => positions.push(p),
    });
    expect((await slow).stdout).toBe("first\n");
    expect(r.status).toBe("ok");
    expect(r.stdout).toBe("hi\nbye\n");
    expect(r.tries).toHaveLength(1);
    expect(r.explanation).toMatch(/finally/);
    expect(positions).toEqual([1, 0]);
  });

  it("runs at nice 5 (never less nice than the bot), so saturated sandboxes yield the CPU to the bot", () => {
    // nice 5, or the bot's own if the bot was started nicer still (niceness is only ever raised)
    expect(getPriority(host.pid as number)).toBe(Math.max(getPriority(), 5));
  });

  it("logs through the bot's logger, marked as the host's", async () => {
    await host.run({ code: "print(1)\n" });
    expect(lines).toContainEqual(expect.objectContaining({ component: "sandbox-host", msg: "sandbox run" }));
  });

  it("a host that dies mid-run: the run is answered with a clear refusal, and the next run works", async () => {
    const pid = host.pid as number;
    const marker = `${Date.now() % 100_000}.${process.pid}`; // `sleep N.M`: harmless if it ever ran outside
    const stuck = host.run({ code: `import os\nos.execv("/usr/bin/sleep", ["sleep", "${marker}"])` });
    for (let i = 0; i < 100 && (await sleepersWithMarker(marker)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await sleepersWithMarker(marker)).toHaveLength(1);
    process.kill(pid, "SIGKILL");
    const lost = await stuck;
    expect(lost.status).toBe("refused");
    expect(lost.reason).toMatch(/stopped unexpectedly.*try again/i);
    // its sandbox went down with it (--die-with-parent)
    for (let i = 0; i < 100 && (await sleepersWithMarker(marker)).length > 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const survivors = await sleepersWithMarker(marker);
    for (const p of survivors) process.kill(p, "SIGKILL");
    expect(survivors).toEqual([]);
    const next = await host.run({ code: "print('back')\n" });
    expect(next.stdout).toBe("back\n");
    expect(host.pid).not.toBe(pid);
  });

  it("a doctor's refusal outlives the host: a restarted host proves isolation again before running", async () => {
    // As in doctor-gate.test.ts: an interpreter the sandbox cannot see, so the doctor denies public runs.
    const dir = await mkdtemp(join(tmpdir(), "tutor-host-gate-"));
    const python = join(dir, "python3.11");
    await symlink("/usr/bin/python3.11", python);
    const gated = createSandboxHost({ ...loadCoreConfig({}), PYTHON: python, SANDBOX_WARM_POOL: 0 });
    try {
      expect((await gated.doctor()).publicRuns).toBe(false);
      expect((await gated.run({ code: "print(1)\n" })).reason).toMatch(/self-check failed/);
      process.kill(gated.pid as number, "SIGKILL");
      await new Promise((r) => setTimeout(r, 200));
      const after = await gated.run({ code: "print('should not run')\n" });
      expect(after.status).toBe("refused");
      expect(after.reason).toMatch(/self-check failed/);
    } finally {
      await gated.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("close() ends the host process", async () => {
    const other = createSandboxHost(loadCoreConfig({}));
    expect((await other.run({ code: "print(2)\n" })).stdout).toBe("2\n");
    const pid = other.pid as number;
    await other.close();
    expect(alive(pid)).toBe(false);
    expect((await other.run({ code: "print(3)\n" })).status).toBe("refused");
  });
});

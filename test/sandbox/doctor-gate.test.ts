// The doctor is the gate: once its live probes deny public runs, the sandbox runs nothing at all.
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandbox } from "../../src/sandbox/index.js";

const dir = await mkdtemp(join(tmpdir(), "tutor-doctor-gate-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

const bwrapPresent = (await createSandbox().availability()).ok;

describe.runIf(bwrapPresent)("sandbox refusal after a failed doctor", () => {
  it("refuses every run with the doctor's reason when its probes deny public runs", async () => {
    // An interpreter the host can run but the sandbox cannot see (it lives outside the read-only /usr):
    // the host-side set-up works, the sandboxed start fails, so the doctor must deny public runs.
    const python = join(dir, "python3.11");
    await symlink("/usr/bin/python3.11", python);
    const sandbox = createSandbox({ ...loadCoreConfig({}), PYTHON: python, SANDBOX_WARM_POOL: 0 });
    try {
      const report = await sandbox.doctor();
      expect(report.publicRuns).toBe(false);
      expect(report.checks.find((c) => c.name === "sandbox starts")?.ok).toBe(false);
      const run = await sandbox.run({ code: "print('should not run')\n" });
      expect(run.status).toBe("refused");
      expect(run.stdout).toBe("");
      expect(run.reason).toMatch(/self-check failed \(sandbox starts/);
      expect(run.reason).toMatch(/npx tutor doctor/);
    } finally {
      await sandbox.close();
    }
  });
});

// In CI an unavailable sandbox fails the sandbox-backed suites with the doctor's reason; elsewhere they skip.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { inCI, SandboxRequiredError, skipOrFail } from "../sandboxGate.js";

const root = new URL("../../", import.meta.url).pathname;

describe("the sandbox gate's decision", () => {
  it("runs the suites when the sandbox works, in CI or not", () => {
    expect(skipOrFail(null, {})).toBeNull();
    expect(skipOrFail(null, { CI: "true" })).toBeNull();
  });

  it("skips with the reason outside CI", () => {
    expect(skipOrFail("bwrap is missing", {})).toBe("bwrap is missing");
    expect(skipOrFail("bwrap is missing", { CI: "false" })).toBe("bwrap is missing");
    expect(skipOrFail("bwrap is missing", { CI: "0" })).toBe("bwrap is missing");
  });

  it("fails in CI, naming the reason and what the doctor says", () => {
    expect(() => skipOrFail("bwrap is missing", { CI: "true" }, "tier D; sandbox starts: no bwrap")).toThrow(
      SandboxRequiredError,
    );
    expect(() => skipOrFail("bwrap is missing", { CI: "1" }, "tier D; sandbox starts: no bwrap")).toThrow(
      /CI is set[\s\S]*bwrap is missing[\s\S]*The doctor says: tier D; sandbox starts: no bwrap/,
    );
  });

  it("reads CI the way CI services set it", () => {
    expect(inCI({ CI: "true" })).toBe(true);
    expect(inCI({ CI: "1" })).toBe(true);
    expect(inCI({})).toBe(false);
    expect(inCI({ CI: "" })).toBe(false);
    expect(inCI({ CI: "false" })).toBe(false);
  });
});

describe("a sandbox-backed suite on a machine whose sandbox cannot start", () => {
  // A suite run by vitest in a child process, with the interpreter missing: the sandbox is unavailable.
  const suite = (extra: Record<string, string>) => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "CI" && k !== "NODE_ENV"),
    );
    return spawnSync(
      process.execPath,
      ["node_modules/vitest/vitest.mjs", "run", "test/lessons/check.test.ts"],
      {
        cwd: root,
        env: { ...env, PYTHON: "/nonexistent/python3.11", ...extra },
        encoding: "utf8",
      },
    );
  };

  it("skips, saying why, without CI", () => {
    const r = suite({});
    expect(r.status).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/SKIPPED sandbox-backed tests: .*python3\.11 is missing/);
  });

  it("fails the run with the doctor's reason when CI is set", () => {
    const r = suite({ CI: "true" });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status).not.toBe(0);
    expect(out).toMatch(/CI is set, so the sandbox-backed tests must run/);
    expect(out).toMatch(/The doctor says: tier D; sandbox starts: .*python3\.11 is missing/);
  });
});

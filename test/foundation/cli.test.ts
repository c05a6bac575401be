import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const tutor = new URL("../../bin/tutor.js", import.meta.url).pathname;

describe("tutor command line", () => {
  it("lists every command in --help", () => {
    const out = execFileSync(process.execPath, [tutor, "--help"], { encoding: "utf8" });
    for (const usage of [
      "tutor run [--json] [--stdin FILE] FILE|-",
      "tutor doctor [--json]",
      "tutor lessons check [--dir DIR]",
    ]) {
      expect(out).toContain(usage);
    }
  });

  it("rejects an unknown command with exit code 2 and the help", () => {
    const r = spawnSync(process.execPath, [tutor, "frobnicate"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain("Usage: tutor <command>");
  });
});

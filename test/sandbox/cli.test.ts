// `tutor run` and `tutor doctor` as operators and other tests call them: one JSON object, exit codes.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/sandbox/index.js";

const tutor = new URL("../../bin/tutor.js", import.meta.url).pathname;
const cli = (args: string[], input?: string) =>
  execa(process.execPath, [tutor, ...args], { reject: false, ...(input === undefined ? {} : { input }) });

const probe = createSandbox();
const availability = await probe.availability();
await probe.close();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tutor-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tutor run: bad input", () => {
  it("a missing file is one clear line and exit 2", async () => {
    const r = await cli(["run", "--json", join(dir, "nope.py")]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim()).toMatch(/^tutor run: cannot read code file .*nope\.py: no such file$/);
    expect(r.stdout).toBe("");
  });
  it("empty code is refused with exit 2", async () => {
    const r = await cli(["run", "-"], "\n\n");
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/the code is empty/);
  });
  it("an unknown option is a usage error", async () => {
    const r = await cli(["run", "--fast", "x.py"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/usage: tutor run/);
  });
});

describe("tutor run: refused", () => {
  it("exits 3 with the reason when the sandbox cannot run code", async () => {
    const file = join(dir, "ok.py");
    await writeFile(file, "print('hi')\n");
    const r = await execa(process.execPath, [tutor, "run", "--json", file], {
      reject: false,
      env: { PYTHON: "/nonexistent/python3.11" },
    });
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "refused", stdout: "" });
  });
});

describe.runIf(availability.ok)("tutor run: running", () => {
  it("prints one JSON object with the contract's fields and exits 0 even when the program failed", async () => {
    const file = join(dir, "fails.py");
    await writeFile(file, "print('hi')\nraise KeyError('k')\n");
    const r = await cli(["run", "--json", file]);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout);
    for (const key of [
      "status",
      "exitCode",
      "stdout",
      "stderr",
      "truncated",
      "durationMs",
      "exception",
      "tries",
      "withs",
      "output",
      "explanation",
    ]) {
      expect(result).toHaveProperty(key);
    }
    expect(result).toMatchObject({ status: "exception", exitCode: 1, stdout: "hi\n" });
  });
  it("passes --stdin FILE to input()", async () => {
    const code = join(dir, "echo.py");
    const input = join(dir, "in.txt");
    await writeFile(code, "print(input().upper())\n");
    await writeFile(input, "shout\n");
    const r = await cli(["run", "--json", "--stdin", input, code]);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "ok", stdout: "SHOUT\n", stdinEmpty: false });
  });
  it("reads code from - and renders for a person without --json", async () => {
    const r = await cli(["run", "-"], "import sys\nsys.exit(4)\n");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/ended with sys.exit \(exit, exit code 4/);
  });
  it("tutor doctor --json reports the tier and its checks", async () => {
    const r = await cli(["doctor", "--json"]);
    const report = JSON.parse(r.stdout);
    expect(["A", "B", "C", "D"]).toContain(report.tier);
    expect(r.exitCode).toBe(report.publicRuns ? 0 : 1);
    expect(report.checks.length).toBeGreaterThan(10);
    // A check that could not observe in time (a busy machine) says so; the report lists those by name.
    for (const c of report.checks)
      expect(Object.keys(c).sort()).toEqual(
        c.inconclusive ? ["detail", "inconclusive", "name", "ok"] : ["detail", "name", "ok"],
      );
    expect(report.inconclusive).toEqual(
      report.checks
        .filter((c: { inconclusive?: boolean }) => c.inconclusive)
        .map((c: { name: string }) => c.name),
    );
  });
});

describe.runIf(availability.ok)("tutor run: source encodings (PEP 263)", () => {
  it("reads a file as Python reads main.py: a latin-1 declaration runs, undeclared bytes are a SyntaxError", async () => {
    const latin1 = join(dir, "latin1.py");
    await writeFile(latin1, Buffer.from('# -*- coding: latin-1 -*-\nprint("caf\xe9")\n', "latin1"));
    const ran = await cli(["run", "--json", latin1]);
    expect(ran.exitCode).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ status: "ok", stdout: "café\n" });
    const undeclared = join(dir, "undeclared.py");
    await writeFile(undeclared, Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0xe9, 0x29]));
    const r = await cli(["run", "--json", undeclared]);
    expect(r.exitCode).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ status: "exception", exception: { type: "SyntaxError" } });
    expect(result.stderr).toMatch(
      /^SyntaxError: Non-UTF-8 code starting with '\\xe9' in file .*main\.py on line 1/,
    );
  });
});

// Ordinary student programs must work inside the limits, and stdin must reach input().
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandbox } from "../../src/sandbox/index.js";

const sandbox = createSandbox({ ...loadCoreConfig({}), SANDBOX_WARM_POOL: 1 });
const availability = await sandbox.availability();
afterAll(() => sandbox.close());

describe.runIf(availability.ok)("benign programs", () => {
  it("multiprocessing.Pool(2) works", async () => {
    const r = await sandbox.run({
      code: "from multiprocessing import Pool\ndef sq(x):\n    return x * x\nif __name__ == '__main__':\n    with Pool(2) as p:\n        print(p.map(sq, range(6)))",
    });
    expect(r.status).toBe("ok");
    expect(r.stdout).toBe("[0, 1, 4, 9, 16, 25]\n");
  });
  it("member code runs at nice 10 or lower priority, so it yields the CPU to the bot", async () => {
    const r = await sandbox.run({ code: "import os\nprint(os.nice(0))" });
    expect(r.status).toBe("ok");
    expect(Number(r.stdout)).toBeGreaterThanOrEqual(10);
  });
  it("8 threads work", async () => {
    const r = await sandbox.run({
      code: "import threading\nout = []\nts = [threading.Thread(target=out.append, args=(i,)) for i in range(8)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(sorted(out))",
    });
    expect(r.stdout).toBe("[0, 1, 2, 3, 4, 5, 6, 7]\n");
  });
  it("a 50 MB list fits", async () => {
    const r = await sandbox.run({ code: "x = [0] * (50 * 1024 * 1024 // 8)\nprint(len(x))" });
    expect(r.status).toBe("ok");
    expect(r.stdout).toBe(`${(50 * 1024 * 1024) / 8}\n`);
  });
  it("writes a file in the working dir and reads it back", async () => {
    const r = await sandbox.run({
      code: "with open('notes.txt', 'w') as f:\n    f.write('line 1\\nline 2\\n')\nprint(open('notes.txt').read().splitlines())",
    });
    expect(r.stdout).toBe("['line 1', 'line 2']\n");
  });
  it("given stdin reaches input()", async () => {
    const r = await sandbox.run({
      code: "a = input()\nb = input()\nprint(int(a) + int(b))",
      stdin: "2\n40\n",
    });
    expect(r).toMatchObject({ status: "ok", stdout: "42\n", stdinEmpty: false });
  });
  it("non-ASCII code and stdin arrive byte for byte (the request is framed by byte counts)", async () => {
    const r = await sandbox.run({
      code: "name = input()\nprint(f'héllo {name} ✓', len(name))\n# a last line with 🐍 and no newline",
      stdin: "Zoë 🐍\nsecond line\n",
    });
    expect(r).toMatchObject({ status: "ok", stdout: "héllo Zoë 🐍 ✓ 5\n" });
  });
  it("without stdin input() raises EOFError and the result says stdin was empty", async () => {
    const r = await sandbox.run({ code: "name = input('name? ')" });
    expect(r.status).toBe("exception");
    expect(r.exception?.type).toBe("EOFError");
    expect(r.stdinEmpty).toBe(true);
  });
  it("unicode output and a traceback with the source line", async () => {
    const r = await sandbox.run({ code: "print('héllo ✓ 🐍')\n1 / 0" });
    expect(r.stdout).toBe("héllo ✓ 🐍\n");
    expect(r.stderr).toContain("    1 / 0");
    expect(r.exception).toMatchObject({ type: "ZeroDivisionError", line: 2 });
  });
  it("exit() and quit() work as in a normal Python", async () => {
    const r = await sandbox.run({ code: "print('a')\nexit()\nprint('b')" });
    expect(r).toMatchObject({ status: "ok", stdout: "a\n" });
  });
});

// The clause tracer end to end: each program runs in the real sandbox, and the whole report
// (every try execution, every stdout piece with its clause) and the program's own output are checked.
import { afterAll, describe, expect, it } from "vitest";
import { createRunner } from "../../src/runs/index.js";
import type { RunResult, TryEntry } from "../../src/sandbox/types.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { cases, entry, out } from "./cases.js";

const sandbox = createRunner();
afterAll(() => Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]));

const skip = await sandboxSkipReason();
const why = skip ? ` (skipped: ${skip})` : "";

/** The entries without the detail fields (raisedLine, pending, returnValue), which clause-report.test.ts checks. */
function base(tries: TryEntry[]): TryEntry[] {
  return tries.map(({ raisedLine: _l, pending: _p, returnValue: _r, ...rest }) => rest);
}

function stdoutPieces(run: RunResult) {
  return run.output.filter((p) => p.stream === "stdout");
}

describe.skipIf(skip !== null)(`clause tracer, programs run in the sandbox${why}`, () => {
  for (const c of cases) {
    it(c.name, async () => {
      const run = await sandbox.run({ code: c.code, ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
      expect(run.status, run.reason ?? run.stderr).toBe(c.status);
      if (c.exitCode !== undefined) expect(run.exitCode).toBe(c.exitCode);
      // the tracer must not change what the program prints
      expect(run.stdout).toBe(c.stdout);
      expect(run.stderr).toBe(c.stderr ?? "");
      expect(base(run.tries)).toEqual(c.tries);
      expect(stdoutPieces(run)).toEqual(c.output);
      // every byte of stdout is accounted for by the pieces, in order
      expect(
        stdoutPieces(run)
          .map((p) => p.text)
          .join(""),
      ).toBe(run.stdout);
      // stderr pieces: the program's own writes keep their clause; the interpreter's traceback has none
      expect(
        run.output
          .filter((p) => p.stream === "stderr")
          .map((p) => p.text)
          .join(""),
      ).toBe(run.stderr);
      if (c.exception !== undefined) {
        expect(
          run.exception === null ? null : { type: run.exception.type, line: run.exception.line },
        ).toEqual(c.exception);
      }
      expect(run.explanation.length).toBeGreaterThan(0);
    });
  }

  it("lesson: timing with a @contextmanager, the report comes from finally even on failure", async () => {
    const code = [
      "import time",
      "from collections.abc import Iterator",
      "from contextlib import contextmanager",
      "",
      "@contextmanager",
      "def timed(label: str) -> Iterator[None]:",
      "    start: float = time.perf_counter()",
      "    try:",
      "        yield",
      "    finally:",
      "        elapsed: float = time.perf_counter() - start",
      '        print(f"{label}: {elapsed:.3f}s")',
      "",
      'with timed("sum"):',
      "    total = sum(range(1000))",
      "try:",
      '    with timed("fail"):',
      '        raise ValueError("boom")',
      "except ValueError:",
      '    print("failed but timed")',
    ].join("\n");
    const run = await sandbox.run({ code });
    expect(run.status).toBe("ok");
    expect(run.stdout).toMatch(/^sum: \d+\.\d{3}s\nfail: \d+\.\d{3}s\nfailed but timed\n$/);
    expect(base(run.tries)).toEqual([
      entry({ line: 8, finally: true }),
      entry({ line: 16, body: "raised", raised: "ValueError", handler: 19, outcome: "caught" }),
      entry({
        line: 8,
        body: "raised",
        raised: "ValueError",
        finally: true,
        outcome: "propagated",
        exception: "ValueError",
      }),
    ]);
    expect(stdoutPieces(run)).toEqual([
      { ...out("", "finally", 12), text: expect.stringMatching(/^sum: \d+\.\d{3}s\n$/) },
      { ...out("", "finally", 12), text: expect.stringMatching(/^fail: \d+\.\d{3}s\n$/) },
      out("failed but timed\n", "except", 20),
    ]);
  });

  it("an exception message reaches the report whole: quotes, a newline, a lone surrogate", async () => {
    const run = await sandbox.run({ code: 'raise ValueError("bad \\udc80 \\"x\\"\\nsecond line")\n' });
    expect(run.status).toBe("exception");
    expect(run.exception).toEqual({ type: "ValueError", message: 'bad \udc80 "x"\nsecond line', line: 1 });
  });

  it("a traceback written by the interpreter has no clause and no line", async () => {
    const run = await sandbox.run({ code: "try:\n    1 / 0\nfinally:\n    pass\n" });
    const err = run.output.filter((p) => p.stream === "stderr");
    expect(err.length).toBeGreaterThan(2);
    for (const p of err) expect({ line: p.line, clause: p.clause }).toEqual({ line: null, clause: null });
  });

  it("a huge loop hits the cap: 5000 entries, program output intact, explanation says so", async () => {
    const code = [
      "total = 0",
      "for i in range(12000):",
      "    try:",
      "        total += i",
      "    finally:",
      "        pass",
      "print(total)",
    ].join("\n");
    const run = await sandbox.run({ code });
    expect(run.status).toBe("ok");
    expect(run.stdout).toBe(`${(11999 * 12000) / 2}\n`);
    expect(base(run.tries)).toEqual(Array.from({ length: 5000 }, () => entry({ line: 3, finally: true })));
    expect(run.capped).toBe(true);
    expect(run.output).toEqual([out(`${(11999 * 12000) / 2}\n`, null, 7)]);
    expect(run.explanation).toMatch(/Tracing stopped after 5000 try executions/);
  });

  it("deep recursion: RecursionError at the same depth as plain Python, one entry per level", async () => {
    const code = [
      "import sys",
      "deepest = 0",
      "def dive(n):",
      "    global deepest",
      "    deepest = n",
      "    try:",
      "        return dive(n + 1)",
      "    finally:",
      "        pass",
      "try:",
      "    dive(1)",
      "except RecursionError:",
      '    print("too deep at", deepest, "limit", sys.getrecursionlimit())',
    ].join("\n");
    const run = await sandbox.run({ code });
    expect(run.status).toBe("ok");
    const m = /^too deep at (\d+) limit 1000\n$/.exec(run.stdout);
    expect(m, run.stdout + run.stderr).not.toBeNull();
    const deepest = Number(m?.[1]);
    // what `python3.11 main.py` prints for this program: the tracer must not move the limit
    expect(deepest).toBe(999);
    const level = entry({
      line: 6,
      body: "raised",
      raised: "RecursionError",
      finally: true,
      outcome: "propagated",
      exception: "RecursionError",
    });
    expect(base(run.tries)[0]).toEqual(
      entry({ line: 10, body: "raised", raised: "RecursionError", handler: 12, outcome: "caught" }),
    );
    const levels = base(run.tries).slice(1);
    // At the very limit no Python code can run, the tracer's included: the last few levels go unrecorded.
    expect(levels.length).toBeGreaterThanOrEqual(deepest - 4);
    expect(levels.length).toBeLessThanOrEqual(deepest);
    expect(levels).toEqual(Array.from({ length: levels.length }, () => level));
  });

  it("trace: false runs the same program with an empty report", async () => {
    const c = cases.find((x) => x.name.startsWith("(e)"));
    if (!c) throw new Error("case (e) is missing");
    const run = await sandbox.run({ code: c.code, trace: false });
    expect(run.status).toBe("ok");
    expect(run.stdout).toBe(c.stdout);
    expect(run.tries).toEqual([]);
    expect(run.output).toEqual([]);
  });

  it("the probe is invisible to the program: globals, builtins and co_consts names unchanged", async () => {
    const code = [
      "import builtins",
      "def f():",
      "    try:",
      "        return sorted(k for k in globals() if not k.startswith('__'))",
      "    finally:",
      "        pass",
      "print(f(), [n for n in dir(builtins) if 'probe' in n])",
    ].join("\n");
    const run = await sandbox.run({ code });
    expect(run.stdout).toBe("['builtins', 'f'] []\n");
    expect(base(run.tries)).toEqual([
      entry({ line: 3, body: "returned", finally: true, outcome: "returned" }),
    ]);
  });
});

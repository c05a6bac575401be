// The explainer's markdown on RunResults built by hand (the facts a tracer report would carry).
import { describe, expect, it } from "vitest";
import {
  clauseLines,
  EXPLANATION_MAX_CHARS,
  explainRun,
  ordinal,
  renderClauseOutput,
} from "../../src/explain/index.js";
import { tryShape } from "../../src/explain/source.js";
import type { RunResult, TryEntry, WithEntry } from "../../src/sandbox/types.js";
import { entry, out } from "./cases.js";

function runOf(parts: Partial<RunResult>): RunResult {
  return {
    status: "ok",
    exitCode: 0,
    stdout: "",
    stderr: "",
    truncated: false,
    durationMs: 5,
    exception: null,
    tries: [],
    output: [],
    reason: null,
    stdinEmpty: true,
    ...parts,
  };
}

const lines = (...l: string[]): string => `${l.join("\n")}\n`;

describe("explainRun", () => {
  it("a caught exception: the body, the matching except by its header, the outcome named 'caught'", () => {
    const source = lines("try:", '    int("x")', "except ValueError as e:", "    print(e)");
    const text = explainRun(
      runOf({
        tries: [entry({ line: 1, body: "raised", raised: "ValueError", handler: 3, outcome: "caught" })],
      }),
      source,
    );
    expect(text).toBe(
      [
        "**`try` at line 1**",
        "- body raised `ValueError`",
        "- `except ValueError as e` (line 3) matched, so its block ran",
        "- → **caught**: went on after the try",
        "",
        "**Result:** the program finished normally.",
      ].join("\n"),
    );
  });

  it("no exception: except skipped, else ran and why, finally with nothing pending", () => {
    const source = lines(
      "try:",
      "    x = 1",
      "except KeyError:",
      "    pass",
      "else:",
      "    pass",
      "finally:",
      "    pass",
    );
    const text = explainRun(runOf({ tries: [entry({ line: 1, else: true, finally: true })] }), source);
    expect(text).toContain("- body ran to the end, no exception");
    expect(text).toContain("- nothing was raised, so `except` was skipped");
    expect(text).toContain("- `else` (line 5) ran because the body raised nothing");
    expect(text).toContain("- `finally` (line 7) ran, nothing pending");
    expect(text).toContain("**no exception**");
  });

  it("repeated executions are grouped with the odd one out named by its ordinal", () => {
    const source = lines(
      "for i in range(5):",
      "    try:",
      "        f(i)",
      "    except ValueError:",
      "        pass",
    );
    const ok = entry({ line: 2 });
    const bad = entry({ line: 2, body: "raised", raised: "ValueError", handler: 4, outcome: "caught" });
    const text = explainRun(runOf({ tries: [ok, ok, bad, ok, ok] }), source);
    expect(text).toContain("**`try` at line 2** ran 5 times: 4 completed, `ValueError` caught on the 3rd");
    expect(text).toContain("- runs 1, 2, 4, 5: body ran to the end");
    expect(text).toContain("- 3rd run: body raised `ValueError`; `except ValueError` (line 4) matched");
    const two = explainRun(runOf({ tries: [ok, bad] }), source);
    expect(two).toContain("ran 2 times: completed on the 1st, `ValueError` caught on the 2nd");
  });

  it("return in try: finally ran with the return pending, and the surprise is called out", () => {
    const source = lines("def f():", "    try:", "        return 1", "    finally:", '        print("x")');
    const text = explainRun(
      runOf({ tries: [entry({ line: 2, body: "returned", finally: true, outcome: "returned" })] }),
      source,
    );
    expect(text).toContain("**`try` at line 2** in `f()`");
    expect(text).toContain("- `finally` (line 4) ran with the `return` pending");
    expect(text).toContain("- → the function returned");
    expect(text).toContain(
      "**Surprise:** a `return` in try does not skip `finally`: finally runs just before the function returns",
    );
  });

  it("return in finally discards the pending exception", () => {
    const source = lines("def f():", "    try:", "        raise OSError", "    finally:", "        return 2");
    const text = explainRun(
      runOf({
        tries: [entry({ line: 2, body: "raised", raised: "OSError", finally: true, outcome: "returned" })],
      }),
      source,
    );
    expect(text).toContain("- `finally` (line 4) ran with `OSError` still pending");
    expect(text).toContain(
      "- → the function returned: the `return` in `finally` discarded `OSError`, which never reached the caller",
    );
    expect(text).toContain("**Surprise:** a `return`, `break` or `continue` in `finally` silently swallows");
  });

  it("break in finally discards the pending exception too", () => {
    const source = lines("while True:", "    try:", "        raise OSError", "    finally:", "        break");
    const text = explainRun(
      runOf({
        tries: [entry({ line: 2, body: "raised", raised: "OSError", finally: true, outcome: "broke" })],
      }),
      source,
    );
    expect(text).toContain("the `break` in `finally` discarded `OSError`");
    expect(text).toContain("`break` left the loop");
  });

  it("an exception raised in finally replaces the first one", () => {
    const source = lines("try:", "    raise ValueError", "finally:", "    raise TypeError");
    const text = explainRun(
      runOf({
        status: "exception",
        exitCode: 1,
        exception: { type: "TypeError", message: "", line: 4 },
        tries: [
          entry({
            line: 1,
            body: "raised",
            raised: "ValueError",
            finally: true,
            outcome: "propagated",
            exception: "TypeError",
          }),
        ],
      }),
      source,
    );
    expect(text).toContain(
      "- → **not caught**: `TypeError`, raised in `finally`, propagated in place of `ValueError`",
    );
    expect(text).toContain("**Surprise:** an exception raised in `finally` replaces the pending one");
    expect(text).toContain("**Result:** the program stopped with an uncaught `TypeError` at line 4");
  });

  it("SystemExit passes `except Exception`, and says why", () => {
    const source = lines(
      "import sys",
      "try:",
      "    sys.exit(3)",
      "except Exception:",
      "    pass",
      "finally:",
      "    pass",
    );
    const text = explainRun(
      runOf({
        status: "exit",
        exitCode: 3,
        tries: [
          entry({
            line: 2,
            body: "raised",
            raised: "SystemExit",
            finally: true,
            outcome: "propagated",
            exception: "SystemExit",
          }),
        ],
      }),
      source,
    );
    expect(text).toContain(
      "no `except` matched: `SystemExit` is a BaseException, not an Exception, so `except Exception` lets it through",
    );
    expect(text).toContain("- `finally` (line 6) ran with `SystemExit` still pending");
    expect(text).toContain("exit code 3");
  });

  it("a bare except does catch KeyboardInterrupt, so no 'not an Exception' claim there", () => {
    const source = lines("try:", "    raise KeyboardInterrupt", "except:", "    pass");
    const text = explainRun(
      runOf({
        tries: [
          entry({ line: 1, body: "raised", raised: "KeyboardInterrupt", handler: 3, outcome: "caught" }),
        ],
      }),
      source,
    );
    expect(text).toContain("`except` (line 3) matched");
    expect(text).not.toContain("not an Exception");
  });

  it("a handler that raises: caught first, then a new exception propagates", () => {
    const source = lines(
      "try:",
      "    d = {}['k']",
      "except KeyError:",
      "    raise ValueError('converted')",
      "finally:",
      "    pass",
    );
    const text = explainRun(
      runOf({
        tries: [
          entry({
            line: 1,
            body: "raised",
            raised: "KeyError",
            handler: 3,
            finally: true,
            outcome: "propagated",
            exception: "ValueError",
          }),
        ],
      }),
      source,
    );
    expect(text).toContain("- `except KeyError` (line 3) matched, so its block ran");
    expect(text).toContain("- → caught, but then `ValueError` was raised and propagated after finally");
    expect(text).not.toContain("**not caught**");
  });

  it("else skipped because the body raised or jumped", () => {
    const source = lines("try:", "    g()", "except OSError:", "    pass", "else:", "    pass");
    const raised = explainRun(
      runOf({
        tries: [entry({ line: 1, body: "raised", raised: "OSError", handler: 3, outcome: "caught" })],
      }),
      source,
    );
    expect(raised).toContain("- `else` skipped: the body raised");
  });

  it("except* names every clause that ran", () => {
    const source = lines(
      "try:",
      "    raise ExceptionGroup('g', [ValueError(), TypeError()])",
      "except* ValueError:",
      "    pass",
      "except* TypeError:",
      "    pass",
    );
    const text = explainRun(
      runOf({
        tries: [
          entry({
            line: 1,
            body: "raised",
            raised: "ExceptionGroup",
            handler: 3,
            outcome: "caught",
            star: true,
            handlers: [3, 5],
          }),
        ],
      }),
      source,
    );
    expect(text).toContain(
      "`except* ValueError` (line 3) and `except* TypeError` (line 5) each took their part of the group",
    );
  });

  it("a closed generator: GeneratorExit, and close() swallowing it", () => {
    const source = lines("def gen():", "    try:", "        yield 1", "    finally:", "        pass");
    const text = explainRun(
      runOf({
        tries: [
          entry({
            line: 2,
            body: "raised",
            raised: "GeneratorExit",
            finally: true,
            outcome: "propagated",
            exception: "GeneratorExit",
          }),
        ],
      }),
      source,
    );
    expect(text).toContain("paused at a `yield` when the generator was closed");
    expect(text).toContain("(`close()` then swallows it)");
  });

  it("a stopped run has no report and says so, with the driver's reason", () => {
    const text = explainRun(
      runOf({ status: "timeout", exitCode: null, reason: "Stopped after 5 s (the time limit)." }),
      "while True: pass\n",
    );
    expect(text).toContain("**Run stopped:** Stopped after 5 s (the time limit).");
    expect(text).toContain("no clause report");
  });

  it("a program Python cannot read: no clause ran, and where the problem is", () => {
    const text = explainRun(
      runOf({
        status: "exception",
        exitCode: 1,
        exception: {
          type: "IndentationError",
          message: "expected an indented block after 'try' statement on line 1",
          line: 2,
        },
      }),
      "try:\nprint(1)\n",
    );
    expect(text).toContain("Python could not read it (`IndentationError`)");
    expect(text).toContain("uncaught `IndentationError` at line 2: expected an indented block");
  });

  it("a refused run gives the reason only", () => {
    expect(explainRun(runOf({ status: "refused", reason: "There is no code to run." }), "")).toBe(
      "There is no code to run.",
    );
  });

  it("no try statement at all; a with statement gets a word on why it has no entry", () => {
    expect(explainRun(runOf({}), "print(1)\n")).toContain("No `try` statement ran");
    expect(explainRun(runOf({}), "print(1)\n")).not.toContain("`with`");
    expect(explainRun(runOf({}), 'with open("f") as f:\n    pass\n')).toContain(
      "A `with` statement is not a try statement",
    );
  });

  it("a capped trace says the counts cover the traced part only", () => {
    const e = entry({ line: 2 });
    const text = explainRun(runOf({ tries: Array.from({ length: 5000 }, () => e), capped: true }), "");
    expect(text).toContain("ran 5000 times: all 5000 completed");
    expect(text).toContain("Tracing stopped after 5000 try executions");
  });

  it("EOFError from empty stdin is explained; with stdin given it is not", () => {
    const source = lines("try:", "    input()", "except EOFError:", "    pass");
    const tries = [entry({ line: 1, body: "raised", raised: "EOFError", handler: 3, outcome: "caught" })];
    expect(explainRun(runOf({ tries, stdinEmpty: true }), source)).toContain("got no input text");
    expect(explainRun(runOf({ tries, stdinEmpty: false }), source)).not.toContain("got no input text");
  });

  it("many try statements: the first six in detail, one block each, the rest named in a summary block", () => {
    const source = Array.from({ length: 10 }, (_, i) =>
      lines(`try:  # ${i}`, "    f()", "finally:", "    g()"),
    ).join("");
    const tries: TryEntry[] = Array.from({ length: 10 }, (_, i) =>
      entry({
        line: i * 4 + 1,
        body: "raised",
        raised: "OSError",
        finally: true,
        outcome: "propagated",
        exception: "OSError",
      }),
    );
    const text = explainRun(runOf({ tries }), source);
    expect(text.length).toBeLessThanOrEqual(EXPLANATION_MAX_CHARS);
    const blocks = text.split("\n\n");
    expect(blocks.filter((b) => b.startsWith("**`try` at line"))).toHaveLength(6);
    expect(blocks).toContain(
      "**4 more statements:** `try` at line 25 (`OSError` not caught); `try` at line 29 (`OSError` not caught); `try` at line 33 (`OSError` not caught); `try` at line 37 (`OSError` not caught)",
    );
    expect(blocks.at(-1)).toBe("**Result:** the program finished normally.");
  });

  it("a small budget moves whole statements into the summary block, never cutting one in half", () => {
    const source = lines(
      "try:",
      "    f()",
      "finally:",
      "    g()",
      "try:",
      "    f()",
      "except OSError:",
      "    pass",
    );
    const tries = [
      entry({ line: 1, finally: true }),
      entry({ line: 5, body: "raised", raised: "OSError", handler: 7, outcome: "caught" }),
    ];
    const full = explainRun(runOf({ tries }), source);
    const firstBlock = full.split("\n\n")[0] ?? "";
    const small = explainRun(runOf({ tries }), source, firstBlock.length + 120);
    expect(small.split("\n\n")).toEqual([
      firstBlock,
      "**1 more statement:** `try` at line 5 (`OSError` caught)",
      "**Result:** the program finished normally.",
    ]);
  });
});

describe("a return in finally that replaces a pending return (issue 10, item 10)", () => {
  const BOOL_RETURN = lines(
    "def bool_return():",
    "    try:",
    "        return True",
    "    finally:",
    "        return False",
  );
  const replaced = entry({
    line: 2,
    body: "returned",
    finally: true,
    outcome: "returned",
    pending: { kind: "return", value: "True" },
    returnValue: "False",
  });

  it("the tutorial's bool_return(): finally's False replaced the try's True, both named", () => {
    const text = explainRun(runOf({ tries: [replaced] }), BOOL_RETURN);
    expect(text).toContain("- body ran `return True`");
    expect(text).toContain("- `finally` (line 4) ran with `return True` pending");
    expect(text).toContain(
      "- → the function returned `False`, not `True`: the `return` in `finally` replaced the pending `return True`",
    );
    // what the explanation used to say, which is false here
    expect(text).not.toContain("still got the value");
    expect(text).not.toMatch(/returned `True`/);
  });

  it("a handler's pending return: caught, then finally's value won, both named", () => {
    const source = lines(
      "def divide(x, y):",
      "    try:",
      "        return x / y",
      "    except ZeroDivisionError:",
      '        return "inf"',
      "    finally:",
      '        return "zero"',
    );
    const e = entry({
      line: 2,
      body: "raised",
      raised: "ZeroDivisionError",
      handler: 4,
      finally: true,
      outcome: "returned",
      pending: { kind: "return", value: "'inf'" },
      returnValue: "'zero'",
    });
    const text = explainRun(runOf({ tries: [e] }), source);
    expect(text).toContain("- `except ZeroDivisionError` (line 4) matched, so its block ran");
    expect(text).toContain("- `finally` (line 6) ran with `return 'inf'` pending from the `except` block");
    expect(text).toContain(
      "- → the function returned `'zero'`, not `'inf'`: the `return` in `finally` replaced the pending `return 'inf'`",
    );
    expect(text).not.toContain("caught, then the function returned");
  });

  it("a handler's return that finally lets through is the value the caller got", () => {
    const source = lines(
      "def f():",
      "    try:",
      "        1 / 0",
      "    except ZeroDivisionError:",
      "        return 'inf'",
      "    finally:",
      "        print('done')",
    );
    const e = entry({
      line: 2,
      body: "raised",
      raised: "ZeroDivisionError",
      handler: 4,
      finally: true,
      outcome: "returned",
      pending: { kind: "return", value: "'inf'" },
      returnValue: "'inf'",
    });
    const text = explainRun(runOf({ tries: [e] }), source);
    expect(text).toContain("- → caught, then the function returned `'inf'`");
    expect(text).not.toContain("replaced");
  });

  it("no claim either way when the report cannot tell which return won", () => {
    const same = lines("def f():", "    try:", "        return 1", "    finally:", "        return 1");
    const equal = entry({ ...replaced, pending: { kind: "return", value: "1" }, returnValue: "1" });
    const text = explainRun(runOf({ tries: [equal] }), same);
    expect(text).toContain("- → the function returned `1`");
    expect(text).not.toMatch(/replaced|does not skip/);
    // values that are not plain data are not shown, so they cannot be compared
    const unknown = entry({ ...replaced, pending: { kind: "return", value: null }, returnValue: null });
    const opaque = explainRun(runOf({ tries: [unknown] }), BOOL_RETURN);
    expect(opaque).toContain("- → the function returned\n");
    expect(opaque).not.toMatch(/replaced|does not skip/);
  });

  it("a return in finally that replaces a pending break", () => {
    const source = lines(
      "def f():",
      "    while True:",
      "        try:",
      "            break",
      "        finally:",
      "            return 'r'",
    );
    const e = entry({
      line: 3,
      body: "broke",
      finally: true,
      outcome: "returned",
      pending: { kind: "break" },
      returnValue: "'r'",
    });
    const text = explainRun(runOf({ tries: [e] }), source);
    expect(text).toContain("- `finally` (line 5) ran with the `break` pending");
    expect(text).toContain(
      "- → the function returned `'r'`: the `return` in `finally` replaced the pending `break`",
    );
  });
});

describe("with statements (issue 10, item 11)", () => {
  const QUIET = lines(
    "class Quiet:",
    "    def __enter__(self):",
    "        return self",
    "    def __exit__(self, t, v, tb):",
    "        return True",
    "",
    "with Quiet():",
    '    {}["missing"]',
    'print("after with")',
  );
  const w = (e: Partial<WithEntry> & { line: number }): WithEntry => ({
    body: "completed",
    raised: null,
    suppressed: false,
    outcome: "completed",
    exception: null,
    ...e,
  });

  it("an __exit__ that returns True: the block raised, __exit__ got it and suppressed it", () => {
    const withs = [w({ line: 7, body: "raised", raised: "KeyError", suppressed: true })];
    const text = explainRun(runOf({ withs }), QUIET);
    const block = text.split("\n\n")[0];
    expect(block).toBe(
      [
        "**`with Quiet()` at line 7**",
        "- `__enter__` ran",
        "- the block raised `KeyError`",
        "- `__exit__` ran and received `KeyError`; it returned a true value, so it **suppressed** `KeyError`",
        "- → **suppressed**: `KeyError` stopped here, and the program went on after the `with`",
      ].join("\n"),
    );
    expect(text).not.toContain("No `try` statement ran");
  });

  it("not suppressed, no exception, a return through the block, __enter__ failing, __exit__ raising", () => {
    const source = lines("with a() as x:", "    pass", "with b():", "    pass", "with c():", "    pass");
    const prop = explainRun(
      runOf({
        withs: [
          w({ line: 1, body: "raised", raised: "OSError", outcome: "propagated", exception: "OSError" }),
        ],
      }),
      source,
    );
    expect(prop).toContain("- `__exit__` ran and received `OSError`; it did not suppress it");
    expect(prop).toContain("- → **not suppressed**: `OSError` propagated out of the `with`");
    const fine = explainRun(runOf({ withs: [w({ line: 1 })] }), source);
    expect(fine).toContain("**`with a() as x` at line 1**");
    expect(fine).toContain("- the block ran to the end, no exception");
    expect(fine).toContain("- `__exit__` ran and received `None` (no exception)");
    const ret = explainRun(runOf({ withs: [w({ line: 3, body: "returned", outcome: "returned" })] }), source);
    expect(ret).toContain("- `__exit__` ran first and received `None` (a `return` is not an exception)");
    expect(ret).toContain("- → the function returned");
    const noEnter = explainRun(
      runOf({
        withs: [w({ line: 5, body: "not_entered", outcome: "propagated", exception: "RuntimeError" })],
      }),
      source,
    );
    expect(noEnter).toContain("raised `RuntimeError`, so the block never ran and `__exit__` was not called");
    expect(noEnter).not.toContain("received");
    const swapped = explainRun(
      runOf({
        withs: [
          w({ line: 5, body: "raised", raised: "KeyError", outcome: "propagated", exception: "TypeError" }),
        ],
      }),
      source,
    );
    expect(swapped).toContain("- `__exit__` ran and received `KeyError`; it raised `TypeError` instead");
  });

  it("try and with blocks read top-down; a repeated with is grouped like a try", () => {
    const source = lines(
      "try:",
      "    for i in range(3):",
      "        with lock:",
      "            work(i)",
      "except KeyError:",
      "    pass",
    );
    const tries = [entry({ line: 1, body: "raised", raised: "KeyError", handler: 5, outcome: "caught" })];
    const withs = [
      w({ line: 3 }),
      w({ line: 3 }),
      w({ line: 3, body: "raised", raised: "KeyError", outcome: "propagated", exception: "KeyError" }),
    ];
    const blocks = explainRun(runOf({ tries, withs }), source).split("\n\n");
    expect(blocks[0]).toMatch(/^\*\*`try` at line 1\*\*/);
    expect(blocks[1]).toMatch(
      /^\*\*`with lock` at line 3\*\* ran 3 times: 2 completed, `KeyError` propagated on the 3rd\n- runs 1, 2: `__enter__` ran; the block ran to the end/,
    );
  });
});

describe("clause output", () => {
  it("joins pieces into lines, one clause per piece when a line mixes clauses", () => {
    const output = [out("name: ", "try", 2), out("no input\n", "except", 4), out("done\n", null, 5)];
    expect(clauseLines(output)).toEqual([
      { text: "name: no input\n", stream: "stdout", clauses: ["try", "except"], line: 2 },
      { text: "done\n", stream: "stdout", clauses: [null], line: 5 },
    ]);
    expect(renderClauseOutput({ output })).toBe("try+except | name: no input\n-       | done");
  });

  it("keeps stderr apart and limits the shown lines", () => {
    const output = [
      ...Array.from({ length: 3 }, (_, i) => out(`${i}\n`, "try", 1)),
      { text: "warn\n", stream: "stderr" as const, line: 2, clause: "except" as const },
    ];
    expect(clauseLines(output, "stderr")).toEqual([
      { text: "warn\n", stream: "stderr", clauses: ["except"], line: 2 },
    ]);
    expect(renderClauseOutput({ output }, 2)).toBe("try     | 0\ntry     | 1\n... 1 more lines");
  });
});

describe("helpers", () => {
  it("tryShape finds only the headers of its own try", () => {
    const source = lines(
      "try:",
      "    try:",
      "        pass",
      "    except KeyError:  # inner",
      "        pass",
      "except (ValueError, TypeError) as e:",
      "    pass",
      "else:",
      "    pass",
      "finally:",
      "    pass",
      "print(1)",
      "finally_value = 2",
    );
    expect(tryShape(source, 1).headers.map((h) => [h.kind, h.line, h.text])).toEqual([
      ["except", 6, "except (ValueError, TypeError) as e"],
      ["else", 8, "else"],
      ["finally", 10, "finally"],
    ]);
    expect(tryShape(source, 2).headers.map((h) => h.line)).toEqual([4]);
    expect(tryShape(source, 1).inFunction).toBeNull();
  });

  it("tryShape names the enclosing function, not a sibling or a method's class", () => {
    const source = lines(
      "def helper():",
      "    pass",
      "class Box:",
      "    def open(self):",
      "        for i in range(2):",
      "            try:",
      "                pass",
      "            finally:",
      "                pass",
      "    try:",
      "        x = 1",
      "    finally:",
      "        pass",
    );
    expect(tryShape(source, 6).inFunction).toBe("open");
    expect(tryShape(source, 10).inFunction).toBeNull();
  });

  it("tryShape reads the jumps written in finally: not a nested function's return, not an inner loop's break", () => {
    const jumps = (...l: string[]) => [...tryShape(lines(...l), 1).finallyText.jumps].sort();
    expect(jumps("try:", "    pass", "finally: return 1")).toEqual(["return"]);
    expect(jumps("try:", "    pass", "finally:", "    if x: return 1")).toEqual(["return"]);
    expect(
      jumps("try:", "    pass", "finally:", "    def cb():", "        return 1", "    print(cb())"),
    ).toEqual([]);
    expect(jumps("try:", "    pass", "finally:", "    for i in y:", "        break", "    continue")).toEqual(
      ["continue"],
    );
    expect(jumps("try:", "    return 1", "except E:", "    return 2", "print()")).toEqual([]);
  });

  it("ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 103].map(ordinal)).toEqual([
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "103rd",
    ]);
  });
});

// The clause report's detail fields, each program run in the real sandbox: `withs` (one entry per with
// statement execution), and on try entries `raisedLine`, `pending` (what finally found waiting) and
// `returnValue` (what the statement's return handed back). Field meanings: src/sandbox/types.ts.
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/sandbox/index.js";
import type { RunResult, TryEntry, WithEntry } from "../../src/sandbox/types.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { entry } from "./cases.js";

const sandbox = createSandbox();
afterAll(() => Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]));

const skip = await sandboxSkipReason();

const src = (lines: string[]): string => `${lines.join("\n")}\n`;

/** A WithEntry with the quiet defaults spelled out once. */
function withEntry(e: Partial<WithEntry> & { line: number }): WithEntry {
  return { body: "completed", raised: null, suppressed: false, outcome: "completed", exception: null, ...e };
}

/** A TryEntry with every detail field (null unless given). */
function full(e: Partial<TryEntry> & { line: number }): TryEntry {
  return { ...entry(e), raisedLine: null, pending: null, returnValue: null, ...e };
}

async function run(code: string): Promise<RunResult> {
  const result = await sandbox.run({ code });
  expect(["ok", "exception"], result.reason ?? result.stderr).toContain(result.status);
  return result;
}

describe.skipIf(skip !== null)(
  `clause report: with statements and the detail fields${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    it("each try reports the line its own exception was raised at, though freed exceptions' ids are reused", async () => {
      const r = await run(
        src([
          "try:",
          "    x = 1",
          '    raise ValueError("a")',
          "except ValueError:",
          "    pass",
          "def g():",
          "    try:",
          "        return 1 / 0",
          "    except ZeroDivisionError:",
          "        return 0",
          "g()",
          "for k in range(2):",
          "    try:",
          "        pass",
          "        [][k]",
          "    except IndexError:",
          "        continue",
        ]),
      );
      expect(r.tries.map((t) => [t.line, t.raisedLine])).toEqual([
        [1, 3],
        [7, 8],
        [13, 15],
        [13, 15],
      ]);
    });

    it("a with whose __exit__ returns True swallows the block's KeyError", async () => {
      const r = await run(
        src([
          "class Swallow:",
          "    def __enter__(self):",
          "        return self",
          "    def __exit__(self, typ, exc, tb):",
          '        print("exit got", typ.__name__)',
          "        return True",
          "with Swallow():",
          '    {}["missing"]',
          'print("after with")',
        ]),
      );
      expect(r.stdout).toBe("exit got KeyError\nafter with\n");
      expect(r.withs).toEqual([withEntry({ line: 7, body: "raised", raised: "KeyError", suppressed: true })]);
      expect(r.tries).toEqual([]);
      // a with is not a try: its output keeps the clause around it (none here)
      expect(r.output.map((p) => p.clause)).toEqual([null, null]);
    });

    it("a with whose __exit__ returns None lets the exception through; one that raises replaces it", async () => {
      const r = await run(
        src([
          "class Plain:",
          "    def __enter__(self): return self",
          "    def __exit__(self, *exc): return None",
          "class Failing:",
          "    def __enter__(self): return self",
          '    def __exit__(self, *exc): raise ValueError("from exit")',
          "try:",
          "    with Plain():",
          "        int('x')",
          "except ValueError:",
          "    pass",
          "try:",
          "    with Failing():",
          "        pass",
          "except ValueError:",
          "    pass",
        ]),
      );
      expect(r.withs).toEqual([
        withEntry({
          line: 8,
          body: "raised",
          raised: "ValueError",
          outcome: "propagated",
          exception: "ValueError",
        }),
        withEntry({ line: 13, body: "completed", outcome: "propagated", exception: "ValueError" }),
      ]);
      expect(r.tries).toEqual([
        full({
          line: 7,
          body: "raised",
          raised: "ValueError",
          handler: 10,
          outcome: "caught",
          raisedLine: 9,
        }),
        // raised inside __exit__, a method of the program: that line, not the with's
        full({
          line: 12,
          body: "raised",
          raised: "ValueError",
          handler: 15,
          outcome: "caught",
          raisedLine: 6,
        }),
      ]);
    });

    it("an __enter__ that raises: the body is not entered", async () => {
      const r = await run(
        src([
          "class Locked:",
          '    def __enter__(self): raise PermissionError("locked")',
          "    def __exit__(self, *exc): return False",
          "try:",
          "    with Locked():",
          '        print("never")',
          "except PermissionError:",
          '    print("refused")',
          "class Swallow:",
          "    def __enter__(self): return self",
          "    def __exit__(self, *exc): return True",
          "with Swallow(), Locked():",
          '    print("never")',
        ]),
      );
      expect(r.stdout).toBe("refused\n");
      expect(r.withs).toEqual([
        withEntry({ line: 5, body: "not_entered", outcome: "propagated", exception: "PermissionError" }),
        // the second item's __enter__ raised, and the first item's __exit__ swallowed that
        withEntry({ line: 12, body: "not_entered", suppressed: true }),
      ]);
    });

    it("a @contextmanager: the generator's try has its entry, the with its own, in start order", async () => {
      const r = await run(
        src([
          "from contextlib import contextmanager",
          "@contextmanager",
          "def opened(name):",
          '    print("open", name)',
          "    try:",
          "        yield name",
          "    finally:",
          '        print("close", name)',
          "try:",
          '    with opened("a") as f:',
          '        raise OSError("disk")',
          "except OSError:",
          '    print("handled")',
          'with opened("b"):',
          "    pass",
        ]),
      );
      expect(r.stdout).toBe("open a\nclose a\nhandled\nopen b\nclose b\n");
      expect(r.withs).toEqual([
        withEntry({
          line: 10,
          body: "raised",
          raised: "OSError",
          outcome: "propagated",
          exception: "OSError",
        }),
        withEntry({ line: 14 }),
      ]);
      expect(r.tries).toEqual([
        full({ line: 9, body: "raised", raised: "OSError", handler: 12, outcome: "caught", raisedLine: 11 }),
        // the exception thrown into the generator at its yield: raised there, as far as the generator knows
        full({
          line: 5,
          body: "raised",
          raised: "OSError",
          finally: true,
          outcome: "propagated",
          exception: "OSError",
          raisedLine: 11,
          pending: { kind: "exception", type: "OSError" },
        }),
        full({ line: 5, finally: true }),
      ]);
    });

    it("nested with statements, a return through both, and a break and a continue out of one in a loop", async () => {
      const r = await run(
        src([
          "class CM:",
          "    def __enter__(self): return self",
          "    def __exit__(self, *exc): return False",
          "def first():",
          "    with CM() as a:",
          "        with CM() as b:",
          "            return [1, 2]",
          "print(first())",
          "for i in range(3):",
          "    with CM():",
          "        if i == 0:",
          "            continue",
          "        break",
        ]),
      );
      expect(r.stdout).toBe("[1, 2]\n");
      expect(r.withs).toEqual([
        withEntry({ line: 5, body: "returned", outcome: "returned" }),
        withEntry({ line: 6, body: "returned", outcome: "returned" }),
        withEntry({ line: 10, body: "continued", outcome: "continued" }),
        withEntry({ line: 10, body: "broke", outcome: "broke" }),
      ]);
    });

    it("an async with whose __aexit__ swallows; a with in a generator closed at its yield", async () => {
      const r = await run(
        src([
          "import asyncio",
          "class Quiet:",
          "    async def __aenter__(self): return self",
          "    async def __aexit__(self, *exc): return True",
          "async def main():",
          "    async with Quiet():",
          "        1 / 0",
          '    print("went on")',
          "asyncio.run(main())",
          "class CM:",
          "    def __enter__(self): return self",
          "    def __exit__(self, *exc): return False",
          "def numbers():",
          "    with CM():",
          "        yield 1",
          "        yield 2",
          "for n in numbers():",
          "    break",
        ]),
      );
      expect(r.stdout).toBe("went on\n");
      expect(r.withs).toEqual([
        withEntry({ line: 6, body: "raised", raised: "ZeroDivisionError", suppressed: true }),
        withEntry({
          line: 14,
          body: "raised",
          raised: "GeneratorExit",
          outcome: "propagated",
          exception: "GeneratorExit",
        }),
      ]);
    });

    it("try/finally: finally's return False replaces the pending return True", async () => {
      const r = await run(
        src([
          "def bool_return():",
          "    try:",
          "        return True",
          "    finally:",
          "        return False",
          "print(bool_return())",
        ]),
      );
      expect(r.stdout).toBe("False\n");
      expect(r.tries).toEqual([
        full({
          line: 2,
          body: "returned",
          finally: true,
          outcome: "returned",
          pending: { kind: "return", value: "True" },
          returnValue: "False",
        }),
      ]);
    });

    it("a handler's pending return is overridden by finally's return; without one it goes through", async () => {
      const r = await run(
        src([
          "def divide(a, b, override):",
          "    try:",
          "        return a / b",
          "    except ZeroDivisionError:",
          '        return "inf"',
          "    finally:",
          "        if override:",
          '            return "zero"',
          "print(divide(1, 0, True), divide(1, 0, False), divide(1, 4, False))",
        ]),
      );
      expect(r.stdout).toBe("zero inf 0.25\n");
      const caught = { body: "raised", raised: "ZeroDivisionError", handler: 4, raisedLine: 3 } as const;
      expect(r.tries).toEqual([
        full({
          line: 2,
          ...caught,
          finally: true,
          outcome: "returned",
          pending: { kind: "return", value: "'inf'" },
          returnValue: "'zero'",
        }),
        full({
          line: 2,
          ...caught,
          finally: true,
          outcome: "returned",
          pending: { kind: "return", value: "'inf'" },
          returnValue: "'inf'",
        }),
        full({
          line: 2,
          body: "returned",
          finally: true,
          outcome: "returned",
          pending: { kind: "return", value: "0.25" },
          returnValue: "0.25",
        }),
      ]);
    });

    it("pending: a continue, a break, nothing, an exception that finally's break swallows", async () => {
      const r = await run(
        src([
          "for i in range(4):",
          "    try:",
          "        if i == 0:",
          "            continue",
          "        break",
          "    finally:",
          "        pass",
        ]),
      );
      expect(r.tries).toEqual([
        full({
          line: 2,
          body: "continued",
          finally: true,
          outcome: "continued",
          pending: { kind: "continue" },
        }),
        full({ line: 2, body: "broke", finally: true, outcome: "broke", pending: { kind: "break" } }),
      ]);
      const r2 = await run(
        src([
          "for i in range(3):",
          "    try:",
          "        if i == 1:",
          '            raise KeyError("k")',
          "    finally:",
          "        if i == 1:",
          "            break",
        ]),
      );
      expect(r2.tries).toEqual([
        full({ line: 2, finally: true }),
        full({
          line: 2,
          body: "raised",
          raised: "KeyError",
          raisedLine: 4,
          finally: true,
          outcome: "broke",
          pending: { kind: "exception", type: "KeyError" },
        }),
      ]);
    });

    it("pending exception from a handler; an exception handled around the statement is not pending", async () => {
      const r = await run(
        src([
          "def convert(text):",
          "    try:",
          "        return int(text)",
          "    except ValueError:",
          '        raise LookupError("no number")',
          "    finally:",
          '        print("cleanup")',
          "try:",
          '    convert("x")',
          "except LookupError:",
          "    try:",
          "        pass",
          "    finally:",
          '        print("inner cleanup")',
        ]),
      );
      expect(r.stdout).toBe("cleanup\ninner cleanup\n");
      expect(r.tries).toEqual([
        full({
          line: 8,
          body: "raised",
          raised: "LookupError",
          handler: 10,
          outcome: "caught",
          raisedLine: 5,
        }),
        full({
          line: 2,
          body: "raised",
          raised: "ValueError",
          // int() is library code: the program line that called it
          raisedLine: 3,
          handler: 4,
          finally: true,
          outcome: "propagated",
          exception: "LookupError",
          pending: { kind: "exception", type: "LookupError" },
        }),
        full({ line: 11, finally: true }),
      ]);
    });

    it("returnValue: plain data up to 60 characters; an object or a long value is null", async () => {
      const r = await run(
        src([
          "def give(v):",
          "    try:",
          "        return v",
          "    finally:",
          "        pass",
          'for v in (None, (1, "a"), {"k": [1.5]}, "x" * 61, object(), {1, 2}):',
          "    give(v)",
        ]),
      );
      expect(r.tries.map((t) => t.returnValue)).toEqual([
        "None",
        "(1, 'a')",
        "{'k': [1.5]}",
        null,
        null,
        null,
      ]);
    });

    it("raisedLine is the innermost program line, through program functions and recursion", async () => {
      const r = await run(
        src([
          "def parse(text):",
          "    return int(text)",
          "def depth(n):",
          "    if n == 0:",
          "        parse('x')",
          "    depth(n - 1)",
          "try:",
          "    depth(50)",
          "except ValueError:",
          "    pass",
        ]),
      );
      expect(r.tries).toEqual([
        full({ line: 7, body: "raised", raised: "ValueError", handler: 9, outcome: "caught", raisedLine: 2 }),
      ]);
    });
  },
);

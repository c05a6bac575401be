// One pair of programs per misconception rule: one where the rule changes the answer (and to what), one
// where it does not. The programs are this project's own; they run only in the sandbox.
import type { QuestionKind } from "../../src/lessons/types.js";

export interface RuleCase {
  /** The kind of question asked about the programs (default whole_output). */
  kind?: QuestionKind;
  changes: { code: string; expect: string };
  same: string;
}

const py = (...lines: string[]) => `${lines.join("\n")}\n`;
const tb = (last: string) => `Traceback (most recent call last):\n  ...\n${last}`;

const HANDLED = py(
  "try:",
  '    print("a")',
  "    x = 1 / 0",
  '    print("b", x)',
  "except ZeroDivisionError:",
  '    print("c")',
);
const BROAD_FIRST = py(
  "try:",
  '    int("x")',
  "except Exception:",
  '    print("broad")',
  "except ValueError:",
  '    print("precise")',
);
const RAISES_IN_FINALLY_TRY = py("try:", "    1 / 0", "finally:", '    print("f")');
const FAILS_HANDLED_ELSE = py(
  "try:",
  '    int("x")',
  "except ValueError:",
  '    print("v")',
  "else:",
  '    print("e")',
);
const WORKS_HANDLED_ELSE = py(
  "try:",
  '    print("t")',
  "except ValueError:",
  '    print("v")',
  "else:",
  '    print("e")',
);
const MANAGER = py(
  "class M:",
  "    def __init__(self, name):",
  "        self.name = name",
  "    def __enter__(self):",
  '        print("enter", self.name)',
  "        return self",
  "    def __exit__(self, *info):",
  '        print("exit", self.name)',
);
const NOT_AN_INT = "invalid literal for int() with base 10: 'x'";
const RETURNS_INT_X = py("def f():", '    return int("x")', "print(f())");
const RETURNS_THREE = py("def f():", '    return int("3")', "print(f())");

export const RULE_CASES: Record<string, RuleCase> = {
  "rest-of-try-runs": {
    changes: { code: HANDLED, expect: "a\nb None\nc" },
    same: py("try:", '    print("a")', '    print("b")', "except ValueError:", '    print("c")'),
  },
  "resume-after-handler": {
    changes: { code: HANDLED, expect: "a\nc\nb None" },
    same: py(
      "try:",
      '    print("a")',
      "    1 / 0",
      "except ZeroDivisionError:",
      '    print("c")',
      'print("d")',
    ),
  },
  "except-always-runs": {
    changes: { code: py("try:", '    print("a")', "except ValueError:", '    print("b")'), expect: "a\nb" },
    same: py("try:", '    int("x")', "except ValueError:", '    print("b")'),
  },
  "any-except-catches": {
    changes: {
      code: py("try:", '    int("x")', "except KeyError:", '    print("k")', 'print("end")'),
      expect: "k\nend",
    },
    same: py("try:", '    {}["a"]', "except KeyError:", '    print("k")'),
  },
  "most-specific-handler": {
    changes: { code: BROAD_FIRST, expect: "precise" },
    same: py(
      "try:",
      '    int("x")',
      "except ValueError:",
      '    print("precise")',
      "except Exception:",
      '    print("broad")',
    ),
  },
  "every-matching-handler": {
    changes: { code: BROAD_FIRST, expect: "broad\nprecise" },
    same: py(
      "try:",
      '    int("x")',
      "except KeyError:",
      '    print("k")',
      "except ValueError:",
      '    print("v")',
    ),
  },
  "except-exact-type": {
    changes: {
      code: py("try:", '    open("nope.txt")', "except OSError:", '    print("os")'),
      expect: tb("FileNotFoundError: [Errno 2] No such file or directory: 'nope.txt'"),
    },
    same: py("try:", '    int("x")', "except ValueError:", '    print("v")'),
  },
  "finally-right-after-try": {
    changes: {
      code: py("try:", '    int("x")', "except ValueError:", '    print("v")', "finally:", '    print("f")'),
      expect: "f\nv",
    },
    same: py("try:", '    print("t")', "except ValueError:", '    print("v")', "finally:", '    print("f")'),
  },
  "handlers-guard-each-other": {
    changes: {
      code: py(
        "try:",
        '    int("x")',
        "except ValueError:",
        '    raise KeyError("k")',
        "except KeyError:",
        '    print("caught k")',
      ),
      expect: "caught k",
    },
    same: py(
      "try:",
      "    try:",
      '        int("x")',
      "    except ValueError:",
      '        raise KeyError("k")',
      "    except TypeError:",
      '        print("t")',
      "except KeyError:",
      '    print("outer")',
    ),
  },
  "jump-skips-finally": {
    changes: {
      code: py(
        "def f():",
        "    try:",
        "        return 1",
        "    finally:",
        '        print("f")',
        "print(f())",
      ),
      expect: "1",
    },
    same: py("def f():", "    try:", "        return 1", "    finally:", "        x = 0", "print(f())"),
  },
  "finally-skipped-on-error": {
    changes: { code: RAISES_IN_FINALLY_TRY, expect: tb("ZeroDivisionError: division by zero") },
    same: py("try:", '    print("t")', "finally:", '    print("f")'),
  },
  "traceback-before-finally": {
    changes: { code: RAISES_IN_FINALLY_TRY, expect: `${tb("ZeroDivisionError: division by zero")}\nf` },
    same: py(
      "try:",
      "    1 / 0",
      "except ZeroDivisionError:",
      '    print("z")',
      "finally:",
      '    print("f")',
    ),
  },
  "finally-only-on-error": {
    changes: { code: py("try:", '    print("t")', "finally:", '    print("f")'), expect: "t" },
    same: py(
      "try:",
      "    1 / 0",
      "except ZeroDivisionError:",
      '    print("z")',
      "finally:",
      '    print("f")',
    ),
  },
  "try-return-wins": {
    changes: {
      code: py(
        "def f():",
        "    try:",
        '        return "try"',
        "    finally:",
        '        return "finally"',
        "print(f())",
      ),
      expect: "try",
    },
    same: py(
      "def f():",
      "    try:",
      "        raise KeyError",
      "    finally:",
      '        return "finally"',
      "print(f())",
    ),
  },
  "finally-rebind-changes-return": {
    changes: {
      code: py(
        "def f():",
        "    x = 1",
        "    try:",
        "        return x",
        "    finally:",
        "        x = 2",
        "print(f())",
      ),
      expect: "2",
    },
    same: py(
      "def f():",
      "    x = 1",
      "    try:",
      "        return x",
      "    finally:",
      "        x = 1",
      "print(f())",
    ),
  },
  "finally-jump-keeps-exception": {
    changes: {
      code: py(
        "def f():",
        "    try:",
        '        raise KeyError("k")',
        "    finally:",
        '        return "done"',
        "print(f())",
      ),
      expect: tb("KeyError: 'k'"),
    },
    same: py("def f():", "    try:", "        x = 1", "    finally:", '        return "done"', "print(f())"),
  },
  "handled-error-comes-back": {
    changes: {
      code: py("try:", '    int("x")', "except ValueError:", '    print("v")'),
      expect: `v\n${tb(`ValueError: ${NOT_AN_INT}`)}`,
    },
    same: py("try:", '    print("t")', "except ValueError:", '    print("v")'),
  },
  "original-exception-wins": {
    changes: {
      code: py("try:", '    int("x")', "except ValueError:", '    raise KeyError("k")'),
      expect: tb(`ValueError: ${NOT_AN_INT}`),
    },
    same: py("try:", '    int("x")', "except ValueError:", '    print("v")'),
  },
  "else-after-handled": {
    changes: { code: FAILS_HANDLED_ELSE, expect: "v\ne" },
    same: WORKS_HANDLED_ELSE,
  },
  "else-on-error": {
    changes: { code: WORKS_HANDLED_ELSE, expect: "t" },
    same: py("try:", '    print("t")', "except ValueError:", '    print("v")', "else:", "    x = 1"),
  },
  "except-guards-else": {
    changes: {
      code: py(
        "try:",
        "    n = 1",
        "except ZeroDivisionError:",
        '    print("z")',
        "else:",
        "    print(n / 0)",
      ),
      expect: "z",
    },
    same: py("try:", "    n = 1", "except KeyError:", '    print("k")', "else:", "    print(n / 0)"),
  },
  "with-exit-skipped-on-error": {
    changes: {
      code: `${MANAGER}with M("m"):\n    1 / 0\n`,
      expect: `enter m\n${tb("ZeroDivisionError: division by zero")}`,
    },
    same: `${MANAGER}with M("m"):\n    print("body")\n`,
  },
  "with-swallows-error": {
    changes: {
      code: `${MANAGER}with M("m"):\n    1 / 0\nprint("after")\n`,
      expect: "enter m\nexit m\nafter",
    },
    same: `${MANAGER}with M("m"):\n    print("body")\nprint("after")\n`,
  },
  "with-exits-in-order": {
    changes: {
      code: `${MANAGER}with M("a"), M("b"):\n    print("body")\n`,
      expect: "enter a\nenter b\nbody\nexit a\nexit b",
    },
    same: `${MANAGER}with M("a"):\n    print("body")\n`,
  },
  "with-is-assignment": {
    changes: { code: `${MANAGER}with M("m"):\n    print("body")\n`, expect: "body" },
    same: py(
      "class Quiet:",
      "    def __enter__(self):",
      "        return self",
      "    def __exit__(self, *info):",
      "        return False",
      "with Quiet() as q:",
      '    print("body")',
    ),
  },
  "print-shows-type": {
    changes: {
      code: py("try:", '    int("x")', "except ValueError as e:", "    print(e)"),
      expect: `ValueError: ${NOT_AN_INT}`,
    },
    same: py('print("hi")'),
  },
  "print-shows-name-only": {
    changes: {
      code: py("try:", '    int("x")', "except ValueError as e:", "    print(e)"),
      expect: "ValueError",
    },
    same: py('print("hi")'),
  },
  "uncaught-error-continues": {
    changes: {
      code: py('print("a")', "1 / 0", 'print("b")'),
      expect: `a\n${tb("ZeroDivisionError: division by zero")}\nb`,
    },
    same: py('print("a")', 'print("b")'),
  },
  "error-returns-none": {
    kind: "escapes",
    changes: { code: RETURNS_INT_X, expect: "Nothing escapes; the caller gets None" },
    same: RETURNS_THREE,
  },
  "error-returns-message": {
    kind: "escapes",
    changes: { code: RETURNS_INT_X, expect: `Nothing escapes; the caller gets ${NOT_AN_INT}` },
    same: RETURNS_THREE,
  },
  "caller-prints-first": {
    kind: "first_line",
    changes: {
      code: py("def f():", '    print("inside")', "    return 1", 'print("got", f())'),
      expect: "got 1",
    },
    same: py("def f():", "    return 1", 'print("got", f())'),
  },
  "finally-discards-return": {
    kind: "escapes",
    changes: {
      code: py("def f():", "    try:", "        return 5", "    finally:", "        pass", "print(f())"),
      expect: "Nothing escapes; the caller gets None",
    },
    same: py(
      "def f():",
      "    try:",
      "        x = 5",
      "    finally:",
      "        pass",
      "    return x",
      "print(f())",
    ),
  },
  "as-name-survives": {
    kind: "escapes",
    changes: {
      code: py(
        "def f():",
        "    try:",
        '        int("x")',
        "    except ValueError as err:",
        "        pass",
        "    return err",
        "print(f())",
      ),
      expect: `Nothing escapes; the caller gets ${NOT_AN_INT}`,
    },
    same: py(
      "def f():",
      "    try:",
      '        int("x")',
      "    except ValueError as err:",
      '        return "bad"',
      "print(f())",
    ),
  },
};

/** Misconceptions of clause questions: the clause sets a learner expects for the (first) try statement. */
export const CLAUSE_CASES: Record<string, { changes: { code: string; expect: string }; same: string }> = {
  "except-always-runs": {
    changes: { code: WORKS_HANDLED_ELSE, expect: "try, except, else" },
    same: FAILS_HANDLED_ELSE,
  },
  "any-except-catches": {
    changes: {
      code: py("try:", '    int("x")', "except KeyError:", '    print("k")'),
      expect: "try, except",
    },
    same: py("try:", '    {}["a"]', "except KeyError:", '    print("k")'),
  },
  "jump-skips-finally": {
    changes: {
      code: py("def f():", "    try:", "        return 1", "    finally:", "        pass", "f()"),
      expect: "try",
    },
    same: py("try:", "    x = 1", "finally:", "    pass"),
  },
  "finally-skipped-on-error": {
    changes: { code: RAISES_IN_FINALLY_TRY, expect: "try" },
    same: py("try:", "    1 / 0", "except ZeroDivisionError:", "    pass", "finally:", "    pass"),
  },
  "finally-only-on-error": {
    changes: { code: py("try:", "    x = 1", "finally:", "    pass"), expect: "try" },
    same: RAISES_IN_FINALLY_TRY,
  },
  "else-after-handled": {
    changes: { code: FAILS_HANDLED_ELSE, expect: "try, except, else" },
    same: WORKS_HANDLED_ELSE,
  },
  "else-on-error": {
    changes: { code: WORKS_HANDLED_ELSE, expect: "try" },
    same: py("try:", '    print("t")', "except ValueError:", '    print("v")'),
  },
  "except-exact-type": {
    changes: {
      code: py("try:", '    open("nope.txt")', "except OSError:", '    print("os")'),
      expect: "try",
    },
    same: py("try:", '    int("x")', "except ValueError:", '    print("v")'),
  },
  "except-guards-else": {
    changes: {
      code: py("try:", "    n = 1", "except ZeroDivisionError:", "    pass", "else:", "    print(n / 0)"),
      expect: "try, except, else",
    },
    same: py("try:", "    n = 1", "except KeyError:", "    pass", "else:", "    print(n / 0)"),
  },
};

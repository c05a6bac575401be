# Runs the misconception variants of one program inside the sandbox and prints one JSON report.
# Comes after ./rewrite.py and the rules (see ../variants.ts), followed by `misconception_report(SOURCE)`.
#
# Each variant runs like the real program (as __main__, stdin empty, in its own empty directory)
# with stdout captured, a budget of executed lines so a variant that loops forever gives up
# deterministically, and the uncaught exception reported as the tracer reports it.
import builtins
import io
import json
import posix
import sys
import types

LINE_BUDGET = 200_000
STDOUT_CAP = 8_000


class OutOfSteps(BaseException):
    pass


def _choose(exc, types_, mode):
    """Which handlers run under a dispatch rule: indices into `types_` (None = a bare except)."""
    matches = []
    for i, t in enumerate(types_):
        if t is None:
            matches.append((i, BaseException))
            continue
        for c in t if isinstance(t, tuple) else (t,):
            ok = type(exc) is c if mode == "exact" else isinstance(exc, c)
            if ok:
                matches.append((i, c))
                break
    if not matches:
        return []
    if mode == "specific":
        best = max(len(c.__mro__) for _, c in matches)
        return [next(i for i, c in matches if len(c.__mro__) == best)]
    if mode == "every":
        return [i for i, _ in matches]
    return [matches[0][0]]


def _show(exc):
    print("Traceback (most recent call last):\n  ...")
    print(_fmt_exc(exc))


def _fmt_exc(exc):
    text = str(exc)
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def _fmt(value):
    return _fmt_exc(value) if isinstance(value, BaseException) else value


def _name(value):
    return type(value).__name__ if isinstance(value, BaseException) else value


def _print_first(thunk, **kwargs):
    """print() whose line comes out before the output of computing its arguments."""
    out = sys.stdout
    sys.stdout = held = io.StringIO()
    try:
        args = thunk()
    except BaseException:
        sys.stdout = out
        out.write(held.getvalue())
        raise
    sys.stdout = out
    print(*args, **kwargs)
    out.write(held.getvalue())


class _Unset:
    pass


HELPERS = {
    "_m_sys": sys,
    "_m_choose": _choose,
    "_m_show": _show,
    "_m_fmt": _fmt,
    "_m_name": _name,
    "_m_print_first": _print_first,
    "_m_unset": _Unset(),
}


def run_variant(tree, index):
    try:
        code = compile(tree, "main.py", "exec")
    except (SyntaxError, ValueError, TypeError) as e:
        # A rewrite this program's shape does not allow (say, a `return` it moved out of a function).
        return {"status": "unusable", "exception": None, "stdout": "", "truncated": False, "why": str(e)}
    module = types.ModuleType("__main__")
    module.__dict__.update({"__file__": "main.py", "__builtins__": builtins, "__annotations__": {}})
    module.__dict__.update(HELPERS)
    out = io.StringIO()
    steps = [0]

    def tracer(frame, event, arg):
        if event == "line":
            steps[0] += 1
            if steps[0] > LINE_BUDGET:
                raise OutOfSteps()
        return tracer

    home = posix.getcwd()
    work = "%s/variant-%d" % (home, index)
    posix.mkdir(work)
    posix.chdir(work)
    saved = sys.stdout, sys.modules.get("__main__"), sys.getrecursionlimit()
    sys.stdout = out
    sys.modules["__main__"] = module
    result = {"status": "ok", "exception": None}
    sys.settrace(tracer)
    try:
        exec(code, module.__dict__)
    except OutOfSteps:
        result["status"] = "timeout"
    except SystemExit as e:
        code_ = e.code
        if code_ is not None and code_ != 0:
            result["status"] = "exit"
    except RecursionError as e:
        result["status"] = "exception"
        result["exception"] = {"type": "RecursionError", "message": str(e), "line": None}
    except BaseException as e:  # noqa: BLE001 - the variant's uncaught exception, as the tracer reports it
        result["status"] = "exception"
        message = e.msg if isinstance(e, SyntaxError) else str(e)
        result["exception"] = {"type": type(e).__name__, "message": message, "line": None}
    finally:
        sys.settrace(None)
        # The program (or a rewrite's own `except BaseException`) may have swallowed OutOfSteps: the count decides.
        if steps[0] > LINE_BUDGET:
            result = {"status": "timeout", "exception": None}
        sys.stdout, main, limit = saved
        sys.modules["__main__"] = main
        sys.setrecursionlimit(limit)
        posix.chdir(home)
    text = out.getvalue()
    result["truncated"] = len(text) > STDOUT_CAP
    result["stdout"] = text[:STDOUT_CAP]
    return result


def shape_of(tree, lines):
    """The try and with statements of the program, with the lines of their clauses."""
    ctx = Ctx(lines)
    tries, withs = [], []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            tries.append(
                {
                    "line": node.lineno,
                    "end": node.end_lineno,
                    "handlers": [h.lineno for h in node.handlers],
                    "else": ctx.keyword_line(node.orelse, "else") if node.orelse else None,
                    "finally": ctx.keyword_line(node.finalbody, "finally") if node.finalbody else None,
                    "finallyEnd": node.finalbody[-1].end_lineno if node.finalbody else None,
                }
            )
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            withs.append(node.lineno)
    tries.sort(key=lambda t: t["line"])
    return {"tries": tries, "withs": sorted(withs)}


def misconception_report(source, only=None):
    lines = source.splitlines()
    tree = ast.parse(source, "main.py")
    report = {"shape": shape_of(tree, lines), "variants": []}
    by_program = {}
    # Rules of the TypeScript side (transformations of the run) are not here: `only` may name them.
    for name in [n for n in only or RULES if n in RULES]:
        applied = apply_rule(name, source, lines)
        if applied is None:
            continue
        new_tree, touched = applied
        key = ast.dump(new_tree)
        if key not in by_program:
            by_program[key] = {"rules": [], "lines": {}, "tree": new_tree}
            report["variants"].append(by_program[key])
        by_program[key]["rules"].append(name)
        by_program[key]["lines"][name] = touched
    for i, v in enumerate(report["variants"]):
        v.update(run_variant(v.pop("tree"), i))
    sys.stdout.write(json.dumps(report) + "\n")

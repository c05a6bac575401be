"""Runs the member's program as `python3 main.py` would, and sends the clause report when it has ended.

The program must see only its own frames: its module frame is the bottom frame of the main thread, as
a script's is. No Python code can call it that way (a caller's frame is always its f_back), but the
interpreter's own shutdown can: when the entry script's module code has returned, Py_FinalizeEx calls
`threading._shutdown()` from C, looking the module up in sys.modules. start_program puts a launcher
there whose `_shutdown` is C all the way down (list(map(exec, ...))): it execs a prologue (which puts
sys.modules back as the program should find it), the program, then an epilogue (the program ended
normally: wait for its threads, as Py_FinalizeEx would). Everything that follows is what
`python3 main.py` does after the script, in the same order:
  - an uncaught exception leaves the launcher, and the interpreter hands it to sys.unraisablehook:
    ours prints it as the interpreter would (sys.excepthook), then waits for the program's threads;
  - atexit handlers run, the program's first (registered later), ours last: it sends the report and
    ends the process with the program's exit code (os._exit: the rest of the teardown is skipped).
"""
import atexit
import builtins
import posix
import sys

from pep263 import read_source
from tracer import AttributedStream, Recorder, compile_program

_ModuleType = type(sys)


def _exit_code(exc):
    """CPython's handling of an uncaught SystemExit."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    try:
        sys.stderr.write(str(code) + "\n")
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        pass
    return 1


def _print_exception(exc):
    """What PyErr_Print does: sys.last_*, then sys.excepthook; a failing hook gets both tracebacks printed.
    The default hook is the interpreter's own C printer: it imports nothing, so it works even when the
    program used up every file descriptor, and it reads source lines from main.py as a script's are."""
    typ, tb = type(exc), exc.__traceback__
    sys.last_type, sys.last_value, sys.last_traceback = typ, exc, tb
    hook = sys.excepthook
    try:
        hook(typ, exc, tb)
    except BaseException as err:  # noqa: BLE001
        try:
            sys.stderr.write("Error in sys.excepthook:\n")
            sys.__excepthook__(type(err), err, err.__traceback__)
            sys.stderr.write("\nOriginal exception was:\n")
            sys.__excepthook__(typ, exc, tb)
        except BaseException:  # noqa: BLE001
            pass


def _member_line(tb, filename):
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _keep_recursion_depth(extra):
    """The program's module frame runs inside exec, one C call level deeper than a script's: raise the
    recursion limit by that much and keep get/setrecursionlimit speaking in the program's terms, so a
    RecursionError comes at the same depth as under `python3 main.py`."""
    get, set_ = sys.getrecursionlimit, sys.setrecursionlimit
    set_(get() + extra)

    def getrecursionlimit():
        return get() - extra

    def setrecursionlimit(limit):
        if isinstance(limit, int) and not isinstance(limit, bool) and limit >= 1:
            return set_(limit + extra)
        return set_(limit)

    getrecursionlimit.__doc__ = get.__doc__
    setrecursionlimit.__doc__ = set_.__doc__
    sys.getrecursionlimit = getrecursionlimit
    sys.setrecursionlimit = setrecursionlimit


# JSON string escapes: what the standard requires (quote, backslash, control characters). Other text
# stays as it is: the report is UTF-8, and report_write turns a lone surrogate into its \uXXXX escape.
_ESCAPES = {c: "\\u%04x" % c for c in range(0x20)}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


def _to_json(value):
    """json.dumps for the report's plain types (dict, list, tuple, str, int, bool, None)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return '"' + str.translate(value, _ESCAPES) + '"'
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join([_to_json(v) for v in value]) + "]"
    if isinstance(value, dict):
        return "{" + ",".join([_to_json(str(k)) + ":" + _to_json(v) for k, v in value.items()]) + "}"
    raise TypeError(f"not in a report: {type(value).__name__}")


def _main_module(filename):
    """__main__ as `python3 main.py` makes it: same keys in the same order, a SourceFileLoader, no spec."""
    main = _ModuleType("__main__")  # __name__, __doc__, __package__, __loader__, __spec__
    d = main.__dict__
    d["__loader__"] = sys.modules["_frozen_importlib_external"].SourceFileLoader("__main__", filename)
    d["__annotations__"] = {}
    d["__builtins__"] = builtins
    d["__file__"] = filename
    d["__cached__"] = None
    return main


def start_program(source, filename, report_write, trace=True):
    """Sets up the run of `source` (main.py's bytes, or text) as __main__; it starts once the caller's module
    code has returned.

    report_write(text) is called once, last, with the JSON report:
    {"tries": [...], "withs": [...], "output": [...], "exception": null | {"type", "message", "line"}, "capped": false}
    """
    pid = posix.getpid()
    main = _main_module(filename)
    state = {"exit": 0, "sigint": False, "ended": False}
    report = {"tries": [], "withs": [], "output": [], "exception": None, "capped": False}
    real_out, real_err = sys.stdout, sys.stderr
    recorder = None

    def ended_by(exc):
        """The program's uncaught exception (or SystemExit), handled as the interpreter handles it."""
        state["ended"] = True
        if isinstance(exc, SystemExit):
            state["exit"] = _exit_code(exc)
            return
        line = _member_line(exc.__traceback__, filename)
        if line is None and isinstance(exc, SyntaxError):
            line = exc.lineno
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        report["exception"] = {"type": type(exc).__name__, "message": message, "line": line}
        if recorder is not None:
            recorder.interpreter = True  # the traceback is the interpreter's writing: no line, no clause
        try:
            _print_exception(exc)
        finally:
            if recorder is not None:
                recorder.interpreter = False
        state["exit"] = 1
        state["sigint"] = isinstance(exc, KeyboardInterrupt)

    def wait_for_threads():
        threading = sys.modules.get("threading")
        if threading is not None and threading is not launcher:
            try:
                threading._shutdown()
            except BaseException:  # noqa: BLE001
                pass

    def finish():
        if not state["ended"]:
            # Neither the epilogue nor our unraisablehook saw the end: the program replaced sys.unraisablehook,
            # and its own hook got the uncaught exception. Say so rather than report a clean exit.
            report["exception"] = {"type": "BaseException", "message": "(given to the program's own sys.unraisablehook)", "line": None}
            state["exit"] = 1
        for s in (sys.stdout, sys.stderr):
            try:
                s.flush()
            except BaseException:  # noqa: BLE001
                pass
        if probe is not None:
            tries, withs = probe.finish_open()
            report["tries"] = [r.to_json() for r in tries]
            report["withs"] = [r.to_json() for r in withs]
            report["capped"] = probe.capped
        if recorder is not None:
            recorder.closed = True
            report["output"] = recorder.pieces
            report["capped"] = report["capped"] or recorder.capped
        if isinstance(sys.stdout, AttributedStream):
            sys.stdout = real_out
        if isinstance(sys.stderr, AttributedStream):
            sys.stderr = real_err
        if posix.getpid() == pid:  # a forked child of the program must not send a second report
            report_write(_to_json(report))
        for s in (sys.stdout, sys.stderr):
            try:
                s.flush()
            except BaseException:  # noqa: BLE001
                pass
        if state["sigint"]:
            # CPython ends a run stopped by an uncaught KeyboardInterrupt by killing itself with SIGINT
            import _signal  # built in: no file to open

            _signal.signal(_signal.SIGINT, _signal.SIG_DFL)
            posix.kill(posix.getpid(), _signal.SIGINT)
        code = state["exit"]
        posix._exit(code & 0xFF if isinstance(code, int) else 1)

    sys.modules["__main__"] = main
    sys.argv = [filename]
    try:
        if isinstance(source, bytes):  # main.py's bytes, read as `python3 main.py` reads them
            path = filename if filename.startswith("/") else posix.getcwd() + "/" + filename
            source, _text = read_source(source, path)
        code, probe, regions = compile_program(source, filename, trace)
    except (SyntaxError, ValueError) as e:
        e.__traceback__ = None
        code = probe = None
        ended_by(e)
    atexit.register(finish)  # before the program can register any: so it runs after all of theirs
    if code is None:
        return  # ended_by(SyntaxError) said how it ended
    if probe is not None:
        recorder = Recorder(filename, regions)
        sys.stdout = AttributedStream(real_out, "stdout", recorder)
        sys.stderr = AttributedStream(real_err, "stderr", recorder)
    _keep_recursion_depth(1)

    threading_before = sys.modules.get("threading")

    def prologue():
        if threading_before is None:
            del sys.modules["threading"]
        else:
            sys.modules["threading"] = threading_before

    def epilogue():
        state["ended"] = True
        wait_for_threads()

    def unraisable(args):
        if args.object is not launcher:  # not the program's end (an atexit handler's error, say): as usual
            return sys.__unraisablehook__(args)
        ended_by(args.exc_value)
        wait_for_threads()

    def step(fn):
        return compile("f()", "<start>", "exec"), {"f": fn}

    (pro, pro_globals), (epi, epi_globals) = step(prologue), step(epilogue)
    import _functools  # built in, unlike functools (a cold run skips the warm imports)

    launcher = _ModuleType("threading")
    launcher._shutdown = _functools.partial(list, map(exec, (pro, code, epi), (pro_globals, main.__dict__, epi_globals)))
    sys.modules["threading"] = launcher
    sys.unraisablehook = unraisable

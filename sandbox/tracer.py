"""Runs a member's program as __main__ and reports which try clauses ran.

PLACEHOLDER (scaffolding): runs the program without clause tracing and reports empty
tries/output. The explainer work replaces the body of run_program; the signature stays.
"""
import json
import sys
import traceback


def run_program(source, filename, report_write, trace=True):
    """Run `source` as the __main__ module and exit the process with the program's exit code.

    report_write(text) is called once, last, with the JSON report:
    {"tries": [...], "output": [...], "exception": null | {"type", "message", "line"}, "capped": false}
    """
    main = sys.modules["__main__"]
    namespace = main.__dict__
    namespace.clear()
    namespace.update({"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__})
    report = {"tries": [], "output": [], "exception": None, "capped": False}
    code_exit = 0
    try:
        code = compile(source, filename, "exec")
        exec(code, namespace)
    except SystemExit as e:
        report["exception"] = {"type": "SystemExit", "message": str(e), "line": None}
        code_exit = e.code
    except BaseException as e:  # noqa: BLE001 - the member's uncaught exception, printed as Python would
        tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
        traceback.print_exception(type(e), e, tb)
        line = None
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                line = tb.tb_lineno
            tb = tb.tb_next
        report["exception"] = {"type": type(e).__name__, "message": str(e), "line": line}
        code_exit = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001
            pass
        report_write(json.dumps(report))
    sys.exit(code_exit)

"""The first program inside the sandbox: gets ready, waits for one request, runs it, exits.

Started by the driver (src/sandbox/) as `python3.11 -I -S /sandbox/entry.pyc LIMITS...` (this file,
compiled once by src/sandbox/prepared.ts) inside bubblewrap, usually ahead of time (the warm pool),
so the interpreter start-up and the imports below are paid before a member asks. Single use: one
request, then the process is thrown away.

File descriptors, set up by the driver:
  0  the request, then EOF: one ASCII header line "TRACE CODE_BYTES STDIN_BYTES" (TRACE 0 or 1,
     STDIN_BYTES -1 for no stdin), then the code's bytes (Python decodes them as it reads main.py, by
     PEP 263: see pep263.py) and the stdin text (UTF-8). No JSON: importing
     json costs the cold start ~5 ms. Afterwards fd 0 becomes the program's stdin (the given text,
     or empty so input() raises EOFError).
  1, 2  the program's stdout and stderr.
  3  the report channel: "ready\\n" once warm, then the tracer's JSON report. Kept apart from
     stdout so a program cannot mix its prints into the report by accident.

The limits come as argv (never the code): --cpu S --fsize BYTES --nofile N [--nproc N] [--as BYTES].
"""
import posix  # not `os`: importing os costs the cold start ~2 ms, and posix has all entry.py needs
import resource
import select
import sys

SANDBOX_DIR = "/sandbox"
REQUEST_FD = 0
REPORT_FD = 3
NICENESS = 10
FILENAME = "main.py"  # relative, so tracebacks read `File "main.py", line 3` and show the source line


def parse_limits(argv):
    limits = {}
    for flag, value in zip(argv[::2], argv[1::2]):
        limits[flag.lstrip("-")] = int(value)
    return limits


def apply_limits(limits):
    cpu = limits["cpu"]
    # Soft limit sends SIGXCPU (the driver reports "timeout"); the hard one a second later is SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["fsize"], limits["fsize"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["nofile"], limits["nofile"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Member code yields the CPU to the bot: with every core busy running sandboxes, the bot's event
    # loop still gets its turn (and a busy run slows the other runs, not the bot).
    # Only ever raised: lowering it (a bot already started with nice 15) would need a privilege.
    if posix.getpriority(posix.PRIO_PROCESS, 0) < NICENESS:
        posix.setpriority(posix.PRIO_PROCESS, 0, NICENESS)
    # Only without a per-run cgroup (tier B): the uid is the slot's own, so NPROC counts this run alone.
    if "nproc" in limits:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))
    if "as" in limits:
        resource.setrlimit(resource.RLIMIT_AS, (limits["as"], limits["as"]))


def install_exit_builtins():
    # -S skips `site` (faster start-up) and with it exit() and quit(), which beginners use.
    import builtins
    import _sitebuiltins

    builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
    builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")


def request_waiting():
    readable, _, _ = select.select([REQUEST_FD], [], [], 0)
    return bool(readable)


def warm_imports():
    # Modules lessons and members use most; imported once here, they cost nothing at run time.
    import collections  # noqa: F401
    import dataclasses  # noqa: F401
    import datetime  # noqa: F401
    import functools  # noqa: F401
    import itertools  # noqa: F401
    import math  # noqa: F401
    import random  # noqa: F401
    import re  # noqa: F401
    import string  # noqa: F401
    import time  # noqa: F401
    import typing  # noqa: F401


def read_request():
    """(code bytes, stdin bytes or None, trace) from fd 0; the format is in the module docstring."""
    chunks = []
    while True:
        chunk = posix.read(REQUEST_FD, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    data = b"".join(chunks)
    header, _, body = data.partition(b"\n")
    trace, code_bytes, stdin_bytes = (int(field) for field in header.split())
    if code_bytes + max(stdin_bytes, 0) != len(body):
        raise ValueError("request length mismatch")
    code = body[:code_bytes]
    stdin = None if stdin_bytes < 0 else body[code_bytes:]
    return code, stdin, bool(trace)


def make_stdin(data):
    if data is None:
        fd = posix.open("/dev/null", posix.O_RDONLY)
    else:
        # A memfd holds any amount of text without a writer blocking on a full pipe.
        fd = posix.memfd_create("stdin")
        view = memoryview(data)
        while view:
            view = view[posix.write(fd, view):]
        posix.lseek(fd, 0, 0)  # SEEK_SET
    posix.dup2(fd, REQUEST_FD)
    posix.close(fd)


def report_writer():
    posix.set_inheritable(REPORT_FD, False)

    def write(text):
        # A lone surrogate (say in an exception message) becomes \udcff: inside a JSON string, its escape.
        view = memoryview(text.encode("utf-8", "backslashreplace"))
        try:
            while view:
                view = view[posix.write(REPORT_FD, view):]
            posix.close(REPORT_FD)
        except OSError:
            pass  # the driver stopped listening (run killed); nothing else to do

    return write


def main():
    limits = parse_limits(sys.argv[1:])
    apply_limits(limits)
    sys.path.insert(0, SANDBOX_DIR)
    install_exit_builtins()
    import program

    # Our modules stay loaded but out of the program's sight: `import tracer` fails there as in a script.
    sys.path.remove(SANDBOX_DIR)
    del sys.modules["program"], sys.modules["tracer"], sys.modules["pep263"]

    if not request_waiting():
        warm_imports()  # a cold run already has its code waiting: do not make it wait longer
    posix.write(REPORT_FD, b"ready\n")

    source, stdin, trace = read_request()
    with open(FILENAME, "wb") as f:
        f.write(source)
    make_stdin(stdin)
    report_write = report_writer()

    # Look like `python3 main.py`: argv, and the script's directory first on the import path.
    sys.path.insert(0, posix.getcwd())
    sys.argv = [FILENAME]
    sys.orig_argv = [sys.orig_argv[0], FILENAME]
    program.start_program(source, FILENAME, report_write, trace)
    # The program runs once this module's code has returned: see program.py.


try:
    main()
except SystemExit as done:  # a malformed request or limits: nothing ran
    code = done.code
    posix._exit(code if isinstance(code, int) else (0 if code is None else 1))

// A run behaves like `python3 main.py`: what the program can see of its own process (stack, module,
// file descriptors, tracebacks) is what a script sees, traced or not. Each program runs in the real sandbox.
import { afterAll, describe, expect, it } from "vitest";
import { createSandbox, type RunResult } from "../../src/sandbox/index.js";
import { HOST_SANDBOX_DIR } from "../../src/sandbox/paths.js";
import { sandboxSkipReason } from "../sandboxGate.js";

const sandbox = createSandbox();
afterAll(() => Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]));
const skip = await sandboxSkipReason();
const why = skip ? ` (skipped: ${skip})` : "";

const src = (lines: string[]): string => `${lines.join("\n")}\n`;

/** The program run both ways, traced (as /run does) and untraced (lessons, the doctor). */
async function bothWays(code: string, check: (r: RunResult) => void): Promise<void> {
  for (const trace of [true, false]) {
    const r = await sandbox.run({ code, trace });
    check(r);
  }
}

describe.skipIf(skip !== null)(`a run looks like python3 main.py from inside${why}`, () => {
  it("the stack holds the program's frames only: print_stack, extract_stack, inspect, _getframe, logging, warnings", async () => {
    const code = src([
      "import inspect, logging, sys, traceback, warnings",
      "def where():",
      "    traceback.print_stack(file=sys.stdout)",
      "    print(len(traceback.extract_stack()), len(inspect.stack()))",
      "    frame, depth = sys._getframe(), 0",
      "    while frame is not None:",
      "        frame, depth = frame.f_back, depth + 1",
      "    print('depth', depth)",
      "    try:",
      "        sys._getframe(2)",
      "    except ValueError as e:",
      "        print('ValueError:', e)",
      "    logging.basicConfig(stream=sys.stdout, format='%(message)s')",
      "    logging.warning('here', stack_info=True)",
      "    warnings.warn('past the bottom', stacklevel=3)",
      "where()",
    ]);
    await bothWays(code, (r) => {
      expect(r.status, r.stderr).toBe("ok");
      expect(r.stdout).toBe(
        [
          '  File "main.py", line 16, in <module>',
          "    where()",
          '  File "main.py", line 3, in where',
          "    traceback.print_stack(file=sys.stdout)",
          "2 2",
          "depth 2",
          "ValueError: call stack is not deep enough",
          "here",
          "Stack (most recent call last):",
          '  File "main.py", line 16, in <module>',
          "    where()",
          '  File "main.py", line 14, in where',
          "    logging.warning('here', stack_info=True)",
          "",
        ].join("\n"),
      );
      // stacklevel past the bottom of the stack: Python names "sys", line 1
      expect(r.stderr).toBe("sys:1: UserWarning: past the bottom\n");
    });
  });

  it("the module is a script's: its keys in order, a SourceFileLoader, no spec; linecache reads through the loader", async () => {
    const code = src([
      "import linecache, sys, traceback",
      "print([k for k in globals() if k.startswith('__')])",
      "print(type(__loader__).__name__, __spec__, __file__, __name__, sys.argv)",
      "print(linecache.lazycache(__file__, globals()))",
      "print(linecache.getline(__file__, 1), end='')",
      "print(traceback.FrameSummary(__file__, 3, 'x').line)",
      "print(__loader__.get_source('__main__').splitlines()[0])",
    ]);
    await bothWays(code, (r) => {
      expect(r.status, r.stderr).toBe("ok");
      expect(r.stdout).toBe(
        [
          "['__name__', '__doc__', '__package__', '__loader__', '__spec__', '__annotations__', '__builtins__', '__file__', '__cached__']",
          "SourceFileLoader None main.py __main__ ['main.py']",
          "True",
          "import linecache, sys, traceback",
          "print(type(__loader__).__name__, __spec__, __file__, __name__, sys.argv)",
          "import linecache, sys, traceback",
          "",
        ].join("\n"),
      );
    });
  });

  it("no host path and none of the runner is visible from inside", async () => {
    const code = src([
      "import gc, sys",
      "seen = set(sys.path) | set(sys.argv) | set(sys.orig_argv) | {sys.executable}",
      "seen |= {getattr(m, '__file__', None) or '' for m in list(sys.modules.values())}",
      "seen |= {f.__code__.co_filename for f in gc.get_objects() if type(f).__name__ == 'function'}",
      "print('\\n'.join(sorted(seen)))",
      "for name in ('tracer', 'program', 'entry'):",
      "    try:",
      "        __import__(name)",
      "        print('imported', name)",
      "    except ImportError:",
      "        pass",
    ]);
    await bothWays(code, (r) => {
      expect(r.status, r.stderr).toBe("ok");
      expect(r.stdout).not.toContain(HOST_SANDBOX_DIR);
      expect(r.stdout).not.toContain("/var/cache");
      expect(r.stdout).not.toContain("sandbox-py");
      expect(r.stdout).not.toContain("imported");
      // argv as the script sees it
      expect(r.stdout).toContain("main.py");
    });
  });

  it("tb_frame.f_lineno after unwinding through try and with statements is plain Python's", async () => {
    // After the exception left a frame, f_lineno is the line of the frame's last instruction, which the
    // tracer's guards must not move (CPython's test_exceptions PEP626Tests check the same).
    const code = src([
      "import sys",
      "class Noop:",
      "    def __enter__(self): return self",
      "    def __exit__(self, *a): return None",
      "def other_except():",
      "    try:",
      "        1 / 0",
      "    except TypeError:",
      "        pass",
      "def in_except():",
      "    try:",
      "        1 / 0",
      "    except ZeroDivisionError:",
      "        {}['k']",
      "        pass",
      "def in_finally():",
      "    try:",
      "        1 / 0",
      "    finally:",
      "        x = 1",
      "        pass",
      "def through_with():",
      "    with Noop():",
      "        1 / 0",
      "        pass",
      "def nested():",
      "    try:",
      "        try:",
      "            [][1]",
      "        except KeyError:",
      "            pass",
      "    except TypeError:",
      "        pass",
      "for f in (other_except, in_except, in_finally, through_with, nested):",
      "    try:",
      "        f()",
      "    except Exception as e:",
      "        tb = e.__traceback__.tb_next",
      "        print(f.__name__, tb.tb_frame.f_lineno, tb.tb_lineno)",
    ]);
    await bothWays(code, (r) => {
      expect(r.status, r.stderr).toBe("ok");
      // what python3.11 main.py prints for this program
      expect(r.stdout).toBe(
        [
          "other_except 8 7",
          "in_except 14 14",
          "in_finally 21 18",
          "through_with 24 24",
          "nested 32 29",
          "",
        ].join("\n"),
      );
    });
  });

  it("out of file descriptors: the escaping OSError is reported as an exception with its traceback", async () => {
    // The report is made after the program used up every descriptor: nothing on that path may need a new one.
    const code = src([
      "def numbers():",
      "    try:",
      "        yield 1",
      "    finally:",
      "        pass",
      "paused = numbers()",
      "next(paused)",
      "files = []",
      "def grab():",
      "    while True:",
      "        files.append(open('/dev/null'))",
      "grab()",
    ]);
    await bothWays(code, (r) => {
      expect(r.status, r.reason ?? "").toBe("exception");
      expect(r.exitCode).toBe(1);
      expect(r.exception).toEqual({
        type: "OSError",
        message: "[Errno 24] Too many open files: '/dev/null'",
        line: 11,
      });
      // as python3 main.py prints it: without source lines, since main.py cannot be opened either
      expect(r.stderr).toBe(
        [
          "Traceback (most recent call last):",
          '  File "main.py", line 12, in <module>',
          '  File "main.py", line 11, in grab',
          "OSError: [Errno 24] Too many open files: '/dev/null'",
          "",
        ].join("\n"),
      );
    });
    const traced = await sandbox.run({ code });
    expect(traced.tries.map((t) => [t.line, t.outcome, t.exception])).toEqual([
      [2, "propagated", "GeneratorExit"],
    ]);
  });

  it("the end is a script's: the traceback, then its threads finish, then its atexit handlers", async () => {
    const code = src([
      "import atexit, threading, time",
      "atexit.register(lambda: print('atexit', threading.current_thread() is threading.main_thread()))",
      "def late():",
      "    time.sleep(0.2)",
      "    print('thread done')",
      "threading.Thread(target=late).start()",
      "print('main ends', threading.current_thread() is threading.main_thread())",
      "raise ValueError('boom')",
    ]);
    await bothWays(code, (r) => {
      expect(r.status).toBe("exception");
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe("main ends True\nthread done\natexit True\n");
      expect(r.stderr).toBe(
        "Traceback (most recent call last):\n  File \"main.py\", line 8, in <module>\n    raise ValueError('boom')\nValueError: boom\n",
      );
    });
  });

  it("a program that took over sys.unraisablehook and then failed is not reported as a clean exit", async () => {
    const code = src(["import sys", "sys.unraisablehook = lambda args: None", "raise ValueError('unseen')"]);
    await bothWays(code, (r) => {
      expect(r.status).toBe("exception");
      expect(r.exitCode).toBe(1);
    });
  });
});

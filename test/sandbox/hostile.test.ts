// The hostile-input suite: member code attacking the real sandbox. Every case is harmless if the
// sandbox failed: escapes are detected with canaries the test owns (see canaries.ts), every bomb is
// bounded, nothing touches system paths or pid 1, and nothing is mounted outside the run's scratch dir.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandbox, type RunResult } from "../../src/sandbox/index.js";
import { HostCanaries, sleepersWithMarker } from "./canaries.js";

const config = { ...loadCoreConfig({}), SANDBOX_WALL_MS: 2000, SANDBOX_WARM_POOL: 2 };
const sandbox = createSandbox(config);
const availability = await sandbox.availability();
if (!availability.ok) {
  console.warn(
    `hostile suite: this machine cannot give tier A (${availability.reason}); testing the refusal only`,
  );
}

let canaries: HostCanaries;
beforeAll(async () => {
  canaries = await HostCanaries.open();
});
afterAll(async () => {
  await sandbox.close();
  await canaries?.close();
});

const run = (code: string, stdin?: string): Promise<RunResult> =>
  sandbox.run(stdin === undefined ? { code } : { code, stdin });
const lastLine = (r: RunResult) => r.stdout.trim().split("\n").pop() ?? "";

describe("refusal when the sandbox cannot be built (checked on every machine)", () => {
  it("a missing interpreter refuses with what to install, never runs the code another way", async () => {
    const broken = createSandbox({ ...config, PYTHON: "/nonexistent/python3.11", SANDBOX_WARM_POOL: 0 });
    try {
      const r = await broken.run({ code: "print('ran')" });
      expect(r).toMatchObject({ status: "refused", stdout: "" });
      expect(r.reason).toMatch(/install python3\.11/);
      expect((await broken.doctor()).publicRuns).toBe(false);
    } finally {
      await broken.close();
    }
  });
});

describe.runIf(!availability.ok)("without isolation", () => {
  it("refuses to run code and says what to install", async () => {
    const r = await run("print('would run unsandboxed')");
    expect(r.status).toBe("refused");
    expect(r.reason).toMatch(/install/);
    expect(r.stdout).toBe("");
  });
});

describe.runIf(availability.ok)("hostile input", () => {
  describe("time", () => {
    it("busy loop is stopped at the wall limit", async () => {
      const r = await run("while True:\n    pass");
      expect(r.status).toBe("timeout");
      expect(r.reason).toMatch(/time limit/);
    });
    it("sleep is stopped at the wall limit", async () => {
      const r = await run("import time\ntime.sleep(30)");
      expect(r.status).toBe("timeout");
    });
    it("CPU-burning threads are stopped", async () => {
      const r = await run(
        "import threading\ndef burn():\n    while True:\n        pass\nfor _ in range(4):\n    threading.Thread(target=burn).start()",
      );
      expect(r.status).toBe("timeout");
    });
    it("output printed before a timeout is kept", async () => {
      const r = await run("import time\nprint('before the wait', flush=True)\ntime.sleep(30)");
      expect(r.status).toBe("timeout");
      expect(r.stdout).toBe("before the wait\n");
    });
    it("the CPU limit stops a loop even when the wall clock has time left", async () => {
      const cpuBox = createSandbox({
        ...config,
        SANDBOX_CPU_SECONDS: 1,
        SANDBOX_WALL_MS: 8000,
        SANDBOX_WARM_POOL: 0,
      });
      try {
        const r = await cpuBox.run({ code: "while True:\n    pass" });
        expect(r.status).toBe("timeout");
        expect(r.reason).toMatch(/CPU/);
      } finally {
        await cpuBox.close();
      }
    });
  });

  describe("memory", () => {
    it("a growing list hits the memory limit", async () => {
      const r = await run("chunks = []\nfor _ in range(600):\n    chunks.append(bytearray(1024 * 1024))");
      expect(r.status).toBe("memory");
      expect(r.reason).toMatch(/128 MiB/);
    });
    it("one huge allocation is reported as memory", async () => {
      const r = await run("x = 'a' * (10 ** 12)");
      expect(r.status).toBe("memory");
    });
    it("memory used by child processes counts too", async () => {
      const r = await run(`import os
pids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        b = bytearray(60 * 1024 * 1024)
        for i in range(0, len(b), 4096):
            b[i] = 1
        os._exit(0)
    pids.append(pid)
codes = [os.waitpid(p, 0)[1] for p in pids]
print(codes)
import sys; sys.exit(0 if all(c == 0 for c in codes) else 9)`);
      expect(r.status).not.toBe("ok");
    });
    it("filling the scratch dir stops at the file limit", async () => {
      const r = await run("with open('big.bin', 'wb') as f:\n    f.write(b'x' * (40 * 1024 * 1024))");
      expect(r.status).not.toBe("ok");
      expect(r.stderr).toMatch(/No space left|File too large|MemoryError/);
    });
  });

  describe("processes", () => {
    it("a fork bomb (bounded at 128) hits the process limit", async () => {
      const r = await run("import os, time\nfor _ in range(7):\n    os.fork()\ntime.sleep(1)");
      expect(r.status).toBe("process_limit");
      expect(r.reason).toMatch(/32 processes/);
    });
    it("a thread bomb (bounded at 200) hits the process limit", async () => {
      const r = await run(
        "import threading, time\nfor _ in range(200):\n    threading.Thread(target=time.sleep, args=(1,)).start()",
      );
      expect(r.status).toBe("process_limit");
    });
    it("many multiprocessing workers hit the process limit", async () => {
      const r = await run(
        "import multiprocessing as mp, time\nif __name__ == '__main__':\n    ps = [mp.Process(target=time.sleep, args=(1,)) for _ in range(60)]\n    for p in ps:\n        p.start()",
      );
      expect(r.status).toBe("process_limit");
    });
    it("a double-forked daemon does not outlive its run", async () => {
      const marker = `41.${Date.now() % 100000}`;
      const r = await run(`import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/sleep", ["sleep", "${marker}"])
    os._exit(0)
print("parent leaves")`);
      expect(r.status).toBe("ok");
      await new Promise((res) => setTimeout(res, 300));
      const survivors = await sleepersWithMarker(marker);
      for (const pid of survivors) process.kill(pid, "SIGKILL");
      expect(survivors).toEqual([]);
    });
  });

  describe("output", () => {
    it("a stdout flood is stopped at the read cap and cut to the shown cap", async () => {
      const r = await run("while True:\n    print('x' * 1000)");
      expect(r.status).toBe("output_limit");
      expect(r.truncated).toBe(true);
      expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(64 * 1024);
      expect(r.stdout.startsWith("x".repeat(1000))).toBe(true);
    });
    it("a stderr flood is stopped too", async () => {
      const r = await run("import sys\nwhile True:\n    sys.stderr.write('e' * 1000)");
      expect(r.status).toBe("output_limit");
    });
    it("raw os.write floods are counted", async () => {
      const r = await run("import os\nwhile True:\n    os.write(1, b'y' * 65536)");
      expect(r.status).toBe("output_limit");
    });
    it("one endless line without a newline is stopped", async () => {
      const r = await run("import sys\nwhile True:\n    sys.stdout.write('z' * 10000)");
      expect(r.status).toBe("output_limit");
    });
    it("output over the shown cap but under the read cap is cut, not killed", async () => {
      const r = await run("print('a' * 100_000)");
      expect(r.status).toBe("ok");
      expect(r.truncated).toBe(true);
      expect(r.stdout.length).toBe(64 * 1024);
    });
    it("invalid UTF-8 on stdout is replaced", async () => {
      const r = await run("import sys\nsys.stdout.buffer.write(b'ok \\xff\\xfe end\\n')");
      expect(r.status).toBe("ok");
      expect(r.stdout).toBe("ok \uFFFD\uFFFD end\n");
    });
    it("invalid UTF-8 on stderr is replaced", async () => {
      const r = await run("import os\nos.write(2, b'\\xc3\\x28 bad\\n')");
      expect(r.status).toBe("ok");
      expect(r.stderr).toContain("\uFFFD");
    });
    it("printing a lone surrogate does not break the driver", async () => {
      const r = await run("print('\\ud800')");
      expect(["ok", "exception"]).toContain(r.status);
    });
  });

  describe("secrets", () => {
    it("the environment is empty of the bot's variables", async () => {
      process.env.TUTOR_TEST_SECRET = "must-not-leak";
      const r = await run("import os\nprint(sorted(os.environ))");
      expect(r.status).toBe("ok");
      expect(r.stdout).not.toMatch(/DISCORD|TUTOR_TEST_SECRET|SANDBOX_/);
      expect(lastLine(r)).toBe("['HOME', 'LANG', 'PATH', 'PWD']");
    });
    it("no /proc/*/environ holds a host secret", async () => {
      const r = await run(`import glob
secret = ${JSON.stringify(canaries.secret)}.encode()
hits = []
for p in glob.glob("/proc/*/environ"):
    try:
        if secret in open(p, "rb").read():
            hits.append(p)
    except OSError:
        pass
print(hits)`);
      expect(r.status).toBe("ok");
      expect(lastLine(r)).toBe("[]");
    });
    it("the environ of a host process the test started is unreachable", async () => {
      const r = await run(`try:
    print(open("/proc/${canaries.sleeperPid}/environ", "rb").read())
except OSError as e:
    print("blocked", type(e).__name__)`);
      expect(r.stdout).not.toContain(canaries.secret);
      expect(lastLine(r)).toMatch(/^blocked/);
    });
    it("the project's .env is unreachable", async () => {
      const path = new URL("../../.env", import.meta.url).pathname;
      const r = await run(`import os\nprint(os.path.exists(${JSON.stringify(path)}))`);
      expect(lastLine(r)).toBe("False");
    });
    it("the project directory is unreachable", async () => {
      const path = new URL("../..", import.meta.url).pathname;
      const r = await run(
        `import os\nprint(os.path.exists(${JSON.stringify(path)}), os.path.exists("/work"))`,
      );
      expect(lastLine(r)).toBe("False False");
    });
    it("a file the test owns in a world-readable dir is unreachable", async () => {
      const r = await run(`try:
    print(open(${JSON.stringify(canaries.secretFile)}).read())
except OSError as e:
    print("blocked", e.errno)`);
      expect(r.stdout).not.toContain(canaries.secret);
      expect(lastLine(r)).toMatch(/^blocked/);
    });
    it("/etc/shadow and /etc/passwd are not there", async () => {
      const r = await run("import os\nprint(os.path.exists('/etc/shadow'), os.path.exists('/etc/passwd'))");
      expect(lastLine(r)).toBe("False False");
    });
    it("root's home is not there", async () => {
      const r = await run("import os\nprint(os.path.exists('/root'), os.listdir('/'))");
      expect(lastLine(r)).toMatch(/^False /);
    });
  });

  describe("writes outside the scratch dir", () => {
    for (const [label, target] of [
      ["the test's world-writable temp dir", "CANARY"],
      ["the sandbox's Python files", "/sandbox/evil.py"],
      ["/usr", "/usr/lib/evil"],
      ["the root", "/evil"],
      ["/etc", "/etc/evil"],
      ["/dev", "/dev/evil"],
    ] as const) {
      it(`cannot write to ${label}`, async () => {
        const path = target === "CANARY" ? `${canaries.dir}/evil` : target;
        const r = await run(`try:
    open(${JSON.stringify(path)}, "w").write("x")
    print("wrote")
except OSError as e:
    print("blocked", e.errno)`);
        expect(lastLine(r)).toMatch(/^blocked/);
        expect(await canaries.strangers()).toEqual([]);
      });
    }
  });

  describe("persistence", () => {
    it("files written by one run are gone in the next", async () => {
      const write = await run(
        "for p in ('left.txt', '/tmp/left.txt', '/dev/shm/left.txt'):\n    open(p, 'w').write('x')\nprint('written')",
      );
      expect(lastLine(write)).toBe("written");
      const r = await run(
        "import os\nprint([p for p in ('left.txt', '/tmp/left.txt', '/dev/shm/left.txt') if os.path.exists(p)])",
      );
      expect(lastLine(r)).toBe("[]");
    });
    it("the scratch dir starts empty", async () => {
      const r = await run("import os\nprint(sorted(os.listdir('.')))");
      expect(lastLine(r)).toBe("['main.py']");
    });
  });

  describe("network", () => {
    it("TCP to a listener the test opened on 127.0.0.1 fails", async () => {
      const r = await run(`import socket
try:
    socket.create_connection(("127.0.0.1", ${canaries.tcpPort}), timeout=1)
    print("connected")
except OSError as e:
    print("blocked", e.errno)`);
      expect(lastLine(r)).toMatch(/^blocked/);
      expect(canaries.tcpConnections).toBe(0);
    });
    it("DNS does not resolve", async () => {
      const r = await run(`import socket
try:
    print(socket.getaddrinfo("example.com", 80)[0][4])
except OSError as e:
    print("blocked")`);
      expect(lastLine(r)).toBe("blocked");
    });
    it("UDP to a socket the test opened gets nothing", async () => {
      const r = await run(`import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", ${canaries.udpPort}))
    print("sent")
except OSError as e:
    print("blocked", e.errno)`);
      expect(lastLine(r)).toMatch(/^blocked/);
      await new Promise((res) => setTimeout(res, 100));
      expect(canaries.udpPackets).toBe(0);
    });
    it("IPv6 and netlink sockets are refused", async () => {
      const r = await run(`import socket
out = []
for fam in (socket.AF_INET6, socket.AF_NETLINK, socket.AF_PACKET):
    try:
        socket.socket(fam, socket.SOCK_RAW if fam != socket.AF_INET6 else socket.SOCK_STREAM)
        out.append("open")
    except OSError:
        out.append("blocked")
print(out)`);
      expect(lastLine(r)).toBe("['blocked', 'blocked', 'blocked']");
    });
    it("a unix socket the test opened on the host is unreachable", async () => {
      const r = await run(`import socket
s = socket.socket(socket.AF_UNIX)
try:
    s.connect(${JSON.stringify(canaries.unixPath)})
    print("connected")
except OSError as e:
    print("blocked", e.errno)`);
      expect(lastLine(r)).toMatch(/^blocked/);
      expect(canaries.unixConnections).toBe(0);
    });
    it("unix sockets inside the sandbox still work", async () => {
      const r = await run("import socket\na, b = socket.socketpair()\na.send(b'ping')\nprint(b.recv(4))");
      expect(lastLine(r)).toBe("b'ping'");
    });
  });

  describe("other processes", () => {
    it("cannot signal a process the test started", async () => {
      const r = await run(`import os, signal
try:
    os.kill(${canaries.sleeperPid}, signal.SIGTERM)
    print("sent")
except OSError as e:
    print("blocked", e.errno)`);
      expect(lastLine(r)).toMatch(/^blocked/);
      expect(await canaries.sleeperAlive()).toBe(true);
    });
    it("cannot ptrace a process the test started", async () => {
      const r = await run(`import ctypes
libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH = 16
print("attached" if libc.ptrace(PTRACE_ATTACH, ${canaries.sleeperPid}, None, None) == 0 else "blocked")`);
      expect(lastLine(r)).toBe("blocked");
      expect(await canaries.sleeperAlive()).toBe(true);
    });
    it("cannot ptrace at all", async () => {
      const r = await run(`import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print(libc.ptrace(0, 0, None, None), ctypes.get_errno())`);
      expect(lastLine(r)).toBe("-1 1");
    });
    it("sees only its own processes", async () => {
      const r = await run(
        "import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]) < 10, os.getpid() < 10)",
      );
      expect(lastLine(r)).toBe("True True");
    });
  });

  describe("kernel interfaces", () => {
    it("mount is refused (target: a dir inside its own scratch dir)", async () => {
      const r = await run(`import ctypes, os
os.mkdir("mnt")
libc = ctypes.CDLL(None, use_errno=True)
print(libc.mount(b"none", b"mnt", b"tmpfs", 0, None), ctypes.get_errno())`);
      expect(lastLine(r)).toBe("-1 1");
    });
    it("unshare of a new user namespace is refused", async () => {
      const r = await run(`import ctypes
libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWUSER = 0x10000000
print(libc.unshare(CLONE_NEWUSER), ctypes.get_errno())`);
      expect(lastLine(r)).toMatch(/^-1 /);
    });
    it("keyctl is refused", async () => {
      const r = await run(`import ctypes
libc = ctypes.CDLL(None, use_errno=True)
SYS_keyctl = 250
print(libc.syscall(SYS_keyctl, 0, -3, 0), ctypes.get_errno())`);
      expect(lastLine(r)).toBe("-1 1");
    });
    it("bpf and perf_event_open are refused", async () => {
      const r = await run(`import ctypes
libc = ctypes.CDLL(None, use_errno=True)
print(libc.syscall(321, 0, 0, 0), libc.syscall(298, 0, 0, 0, 0, 0))`);
      expect(lastLine(r)).toBe("-1 -1");
    });
    it("runs under a seccomp filter as a non-root uid", async () => {
      const r = await run(
        "import os\nmode = [l.split()[1] for l in open('/proc/self/status') if l.startswith('Seccomp:')][0]\nprint(mode, os.getuid() != 0)",
      );
      expect(lastLine(r)).toBe("2 True");
    });
  });

  describe("crashes and exits", () => {
    it("a segfault is reported as crashed", async () => {
      const r = await run("import ctypes\nprint('before', flush=True)\nctypes.string_at(0)");
      expect(r.status).toBe("crashed");
      expect(r.reason).toMatch(/SIGSEGV/);
      expect(r.stdout).toBe("before\n");
    });
    it("os.abort is reported as crashed", async () => {
      const r = await run("import os\nos.abort()");
      expect(r.status).toBe("crashed");
    });
    it("endless recursion is an ordinary RecursionError", async () => {
      const r = await run("def f():\n    return f()\nf()");
      expect(r.status).toBe("exception");
      expect(r.exception?.type).toBe("RecursionError");
    });
    it("recursion with the limit lifted ends without harm", async () => {
      const r = await run("import sys\nsys.setrecursionlimit(10 ** 6)\ndef f(n):\n    return f(n + 1)\nf(0)");
      expect(["crashed", "memory", "exception"]).toContain(r.status);
    });
    it("sys.exit(3) is exit with code 3", async () => {
      const r = await run("import sys\nsys.exit(3)");
      expect(r).toMatchObject({ status: "exit", exitCode: 3 });
    });
    it("sys.exit(0) is ok", async () => {
      const r = await run("import sys\nprint('bye')\nsys.exit(0)");
      expect(r).toMatchObject({ status: "ok", exitCode: 0, stdout: "bye\n" });
    });
    it("os._exit(5) is exit with code 5", async () => {
      const r = await run("import os\nos._exit(5)");
      expect(r).toMatchObject({ status: "exit", exitCode: 5 });
    });
    it("an uncaught exception names its type and line", async () => {
      const r = await run("x = 1\nraise ValueError('bad value')");
      expect(r.status).toBe("exception");
      expect(r.exception).toEqual({ type: "ValueError", message: "bad value", line: 2 });
      expect(r.stderr).toContain('File "main.py", line 2');
    });
  });
});

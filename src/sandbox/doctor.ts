// `tutor doctor`: probes every protection live by running canary programs in the sandbox.
// A canary is something the doctor owns on the host (an env value in a process it started, a file in
// its own temp dir, a listener it opened): a probe passes when the sandboxed code cannot reach it.
// Every probe program is harmless if the sandbox were to fail: no system paths written, bounded bombs.

import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import type { CoreConfig } from "../config.js";
import type {
  Availability,
  DoctorCheck,
  DoctorOptions,
  DoctorReport,
  RunResult,
  Sandbox,
  Tier,
} from "./types.js";

export type { DoctorCheck, DoctorOptions, DoctorReport, Tier } from "./types.js";

/** A probe's answer: passed, failed, or could not tell (it did not get to observe in time). */
type ProbeVerdict = boolean | "inconclusive";

/** The probe sandbox's wall limit, and the longer one an inconclusive probe is tried again with. */
export const PROBE_WALL_MS = 2000;
export const PROBE_RETRY_WALL_MS = 8000;

/** The checks that decide whether strangers' code may run at all (the issue's list). */
const CRITICAL = new Set([
  "sandbox starts",
  "bot environment unreachable",
  "host files unreachable",
  "no network",
  "writes stay in the sandbox",
  "nothing left running",
]);

const PROJECT_ROOT = resolve(import.meta.dirname, "..", "..");

export async function runDoctor(
  config: CoreConfig,
  availability: () => Promise<Availability>,
  makeSandbox: (config: CoreConfig) => Sandbox,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const avail = await availability();
  if (!avail.ok) {
    return {
      tier: "D",
      publicRuns: false,
      checks: [{ name: "sandbox starts", ok: false, detail: avail.reason ?? "unavailable" }],
      inconclusive: [],
    };
  }
  // Its own sandboxes with short limits, on uids after the ones the main sandbox leases. Both use the same
  // uids: the checks run one at a time, so they never run at once.
  const wallMs = options.probeWallMs ?? PROBE_WALL_MS;
  const retryWallMs = options.probeWallMs ? options.probeWallMs * 4 : PROBE_RETRY_WALL_MS;
  const probeSandbox = (wall: number) =>
    makeSandbox({
      ...config,
      SANDBOX_WALL_MS: wall,
      SANDBOX_WARM_POOL: 0,
      SANDBOX_CONCURRENCY: 1,
      SANDBOX_QUEUE_MAX: 32,
      SANDBOX_UID_BASE: config.SANDBOX_UID_BASE + config.SANDBOX_CONCURRENCY + config.SANDBOX_WARM_POOL + 1,
    });
  const sandbox = probeSandbox(wallMs);
  let patient: Sandbox | null = null;
  const opened = [sandbox];
  const canaries = await Canaries.open();
  const checks: DoctorCheck[] = [];
  // The sandbox the current probe runs in, and whether one of its runs hit the wall clock.
  let current = sandbox;
  let timedOut = false;
  const run = async (code: string) => {
    const r = await current.run({ code });
    if (r.status === "timeout") timedOut = true;
    return r;
  };
  /**
   * A probe that could not observe (its run hit the wall clock where that is not what it tests, or the host
   * never saw what it looked for) is tried once more with a longer window. Still unobserved, it is
   * inconclusive: a busy machine, not a broken sandbox, and never silently a failure.
   */
  const check = async (name: string, probe: () => Promise<[ProbeVerdict, string]>) => {
    let detail = "";
    for (const attempt of [0, 1]) {
      timedOut = false;
      if (attempt === 1) {
        if (!patient) {
          patient = probeSandbox(retryWallMs);
          opened.push(patient);
        }
        current = patient;
      }
      let verdict: ProbeVerdict;
      try {
        [verdict, detail] = await probe();
      } catch (err) {
        [verdict, detail] = [false, `probe failed: ${(err as Error).message}`];
      } finally {
        current = sandbox;
      }
      const unobserved =
        verdict === "inconclusive" || (verdict === false && timedOut && name !== "time limit");
      if (!unobserved) {
        checks.push({ name, ok: verdict === true, detail });
        return;
      }
    }
    checks.push({
      name,
      ok: false,
      inconclusive: true,
      detail: `could not be observed in time, even with a ${retryWallMs} ms window (is the machine very busy?): ${detail}`,
    });
  };
  const said = (r: RunResult) => r.stdout.trim().split("\n").pop() ?? "";
  const failedRun = (r: RunResult) =>
    `the probe ran as ${r.status}: ${r.reason ?? r.stderr.trim().split("\n").pop()}`;

  try {
    await check("sandbox starts", async () => {
      const r = await run("print(6 * 7)");
      return r.status === "ok" && said(r) === "42"
        ? [true, `bubblewrap + ${config.PYTHON} answered in ${r.durationMs} ms`]
        : [false, failedRun(r)];
    });
    if (!checks[0]?.ok) return verdict(checks, false);

    await check("unprivileged uid", async () => {
      // Seen from the host: the sandboxed program becomes a marked `sleep`, whose real uid the host reads.
      // The host looks for it for as long as the run lasts, so a slow start under load is still seen.
      const marker = `0.${randomBytes(3).readUIntBE(0, 3)}9`;
      let settled = false;
      const running = run(
        `import os\nprint(os.getuid(), flush=True)\nos.execv("/usr/bin/sleep", ["sleep", "${marker}"])`,
      ).finally(() => {
        settled = true;
      });
      const hostUids: string[] = [];
      while (!settled && hostUids.length === 0) {
        await new Promise((r) => setTimeout(r, 10));
        for (const pid of await sleepersWithMarker(marker)) {
          const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
          const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
          if (uid) hostUids.push(uid);
        }
      }
      const r = await running;
      const inner = said(r);
      // The probe ran but ended before the host looked: nothing was observed either way.
      if (hostUids.length === 0 && r.status === "ok")
        return ["inconclusive", "the probe ended before the host saw it"];
      const ok = r.status === "ok" && inner !== "0" && hostUids.length > 0 && !hostUids.includes("0");
      return [
        ok,
        hostUids.length === 0
          ? `could not see the probe on the host (${failedRun(r)})`
          : `uid ${inner} inside, ${hostUids.join(", ")} on the host`,
      ];
    });

    await check("bot environment unreachable", async () => {
      const r = await run(`import os, glob
canary = ${JSON.stringify(canaries.envValue)}
seen = [k for k, v in os.environ.items() if canary in v or k.startswith("DISCORD")]
for path in glob.glob("/proc/*/environ") + ["/proc/${canaries.envPid}/environ"]:
    try:
        if canary.encode() in open(path, "rb").read():
            seen.append(path)
    except OSError:
        pass
print("FOUND " + " ".join(seen) if seen else "clean", len(os.environ))`);
      const ok = r.status === "ok" && said(r).startsWith("clean");
      return [
        ok,
        ok
          ? `a canary in another process's environment and in /proc/*/environ was not visible (${said(r).split(" ")[1]} variables inside)`
          : said(r) || failedRun(r),
      ];
    });

    await check("host files unreachable", async () => {
      const targets = [canaries.secretFile, join(PROJECT_ROOT, ".env"), PROJECT_ROOT, "/etc/shadow", "/root"];
      const r = await run(`import os
reached = []
for path in ${JSON.stringify(targets)}:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            open(path, "rb").read(16)
        reached.append(path)
    except OSError:
        pass
print("REACHED " + " ".join(reached) if reached else "none")`);
      const ok = r.status === "ok" && said(r) === "none";
      return [
        ok,
        ok ? `a canary file, the project's .env and dir, /etc/shadow, /root: none reachable` : said(r),
      ];
    });

    await check("no network", async () => {
      const r = await run(`import socket
results = []
try:
    s = socket.create_connection(("127.0.0.1", ${canaries.port}), timeout=1)
    results.append("tcp connected")
except OSError as e:
    pass
try:
    socket.getaddrinfo("example.com", 80)
    results.append("dns resolved")
except OSError:
    pass
try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("127.0.0.1", ${canaries.port}))
    results.append("udp socket")
except OSError:
    pass
print(" ".join(results) or "none")`);
      const connections = canaries.connections;
      const ok = r.status === "ok" && said(r) === "none" && connections === 0;
      return [
        ok,
        ok
          ? "TCP to a listener on the host's 127.0.0.1, DNS and UDP all failed"
          : `${said(r)}; ${connections} connection(s) reached the canary listener`,
      ];
    });

    await check("writes stay in the sandbox", async () => {
      const targets = [
        join(canaries.dir, "written"),
        "/sandbox/written",
        "/usr/written",
        "/written",
        "/etc/written",
      ];
      const r = await run(`written = []
for path in ${JSON.stringify(targets)}:
    try:
        open(path, "w").write("x")
        written.append(path)
    except OSError:
        pass
open("scratch.txt", "w").write("ok")
print("WROTE " + " ".join(written) if written else "none")`);
      const hostSees = (await readdir(canaries.dir)).filter((f) => f !== "secret");
      const ok = r.status === "ok" && said(r) === "none" && hostSees.length === 0;
      return [
        ok,
        ok
          ? "writes to a host canary dir, /sandbox, /usr, / and /etc failed; the scratch dir took a file"
          : `${said(r) || failedRun(r)}; host canary dir holds: ${hostSees.join(", ") || "nothing"}`,
      ];
    });

    await check("nothing persists between runs", async () => {
      await run(`for p in ("kept.txt", "/tmp/kept.txt", "/dev/shm/kept.txt"):
    open(p, "w").write("x")`);
      const r = await run(`import os
print(" ".join(p for p in ("kept.txt", "/tmp/kept.txt", "/dev/shm/kept.txt") if os.path.exists(p)) or "none")`);
      const ok = r.status === "ok" && said(r) === "none";
      return [
        ok,
        ok ? "files from one run are gone in the next (cwd, /tmp, /dev/shm)" : `still there: ${said(r)}`,
      ];
    });

    await check("nothing left running", async () => {
      const marker = `${10 + Math.floor(Math.random() * 20)}.${randomBytes(3).readUIntBE(0, 3)}`;
      // A double-forked daemon that outlives its parent, as bounded `sleep` so it ends on its own.
      await run(`import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/usr/bin/sleep", ["sleep", "${marker}"])
    os._exit(0)
print("parent done")`);
      await new Promise((r) => setTimeout(r, 200));
      const survivors = await sleepersWithMarker(marker);
      for (const pid of survivors) process.kill(pid, "SIGKILL");
      return survivors.length === 0
        ? [true, "a double-forked daemon died with its run"]
        : [false, `a daemon outlived its run (host pid ${survivors.join(", ")}, killed now)`];
    });

    await check("own pid namespace", async () => {
      const r = await run(`import os
print(len([p for p in os.listdir("/proc") if p.isdigit()]), os.path.exists("/proc/${canaries.envPid}"))`);
      const [count, seesHost] = said(r).split(" ");
      const ok = r.status === "ok" && seesHost === "False" && Number(count) < 10;
      return [
        ok,
        ok ? `${count} process(es) visible inside; host processes hidden` : said(r) || failedRun(r),
      ];
    });

    await check("seccomp filter", async () => {
      const r = await run(`import ctypes, socket
mode = [l.split()[1] for l in open("/proc/self/status") if l.startswith("Seccomp:")][0]
try:
    socket.socket(socket.AF_INET)
    inet = "allowed"
except OSError:
    inet = "refused"
libc = ctypes.CDLL(None, use_errno=True)
ptrace = "refused" if libc.ptrace(0, 0, None, None) == -1 else "allowed"
print(mode, inet, ptrace)`);
      const ok = r.status === "ok" && said(r) === "2 refused refused";
      return [
        ok,
        ok
          ? "filter mode 2; AF_INET sockets and ptrace refused"
          : `mode/inet/ptrace: ${said(r) || failedRun(r)}`,
      ];
    });

    await check("time limit", async () => {
      const r = await run("while True:\n    pass");
      return [r.status === "timeout", `an endless loop ended as ${r.status} after ${r.durationMs} ms`];
    });

    await check("memory limit", async () => {
      const steps = Math.ceil(config.SANDBOX_MEMORY_MB + 64);
      const r = await run(`chunks = []
for _ in range(${steps}):
    chunks.append(bytearray(1024 * 1024))
print("allocated")`);
      return [r.status === "memory", `allocating ${steps} MiB ended as ${r.status}`];
    });

    await check("process limit", async () => {
      const n = config.SANDBOX_PROCESSES + 8;
      const r = await run(`import threading
stop = threading.Event()
threads = [threading.Thread(target=stop.wait) for _ in range(${n})]
try:
    for t in threads:
        t.start()
finally:
    stop.set()`);
      return [r.status === "process_limit", `starting ${n} threads ended as ${r.status}`];
    });

    await check("output limit", async () => {
      const r = await run("while True:\n    print('x' * 1000)");
      return [r.status === "output_limit", `an endless print ended as ${r.status}`];
    });

    await check("per-run cgroup", async () =>
      avail.cgroups
        ? [true, "memory and processes bounded per run (cgroup v1)"]
        : [false, "no writable cgroup v1 memory+pids: memory bounded by rlimits, one run at a time"],
    );
  } finally {
    for (const s of opened) await s.close();
    await canaries.close();
  }
  return verdict(checks, avail.cgroups);
}

function verdict(checks: DoctorCheck[], cgroups: boolean): DoctorReport {
  const criticalOk = checks.filter((c) => CRITICAL.has(c.name)).every((c) => c.ok);
  const allCritical = [...CRITICAL].every((name) => checks.some((c) => c.name === name));
  const publicRuns = criticalOk && allCritical;
  const rest = checks.filter((c) => c.name !== "per-run cgroup").every((c) => c.ok);
  const tier: Tier = !publicRuns ? "D" : rest && cgroups ? "A" : "B";
  return { tier, publicRuns, checks, inconclusive: checks.filter((c) => c.inconclusive).map((c) => c.name) };
}

/** Host pids whose command line is exactly `sleep MARKER`: a daemon that outlived its run. */
export async function sleepersWithMarker(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (cmdline === `sleep\0${marker}\0`) found.push(Number(name));
  }
  return found;
}

/** What the doctor owns on the host for the probes to look for. */
class Canaries {
  connections = 0;
  private constructor(
    readonly dir: string,
    readonly secretFile: string,
    readonly envValue: string,
    readonly envPid: number,
    readonly port: number,
    private readonly server: Server,
    private readonly sleeper: ReturnType<typeof execa>,
  ) {}

  static async open(): Promise<Canaries> {
    const dir = await mkdtemp(join(tmpdir(), "tutor-doctor-"));
    // World-readable and -writable on purpose: only isolation can keep the sandbox out of it.
    await chmod(dir, 0o777);
    const secretFile = join(dir, "secret");
    await writeFile(secretFile, "canary", { mode: 0o644 });
    const envValue = `tutor-canary-${randomBytes(8).toString("hex")}`;
    const sleeper = execa("/usr/bin/sleep", ["60"], { env: { TUTOR_CANARY: envValue }, extendEnv: false });
    sleeper.catch(() => undefined);
    const server = createServer((socket) => {
      canaries.connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const canaries = new Canaries(dir, secretFile, envValue, sleeper.pid ?? 0, port, server, sleeper);
    return canaries;
  }

  async close(): Promise<void> {
    this.sleeper.kill("SIGKILL");
    await new Promise((r) => this.server.close(r));
    await rm(this.dir, { recursive: true, force: true });
  }
}

// One sandbox process: started (maybe ahead of time), given one request, watched, then thrown away.
import { type ChildProcess, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { type CgroupCounters, RunCgroup } from "./cgroup.js";
import { type SandboxCommand, sandboxCommand } from "./command.js";
import type { SandboxLimits } from "./limits.js";

export interface SandboxRequest {
  /** Text goes as UTF-8; bytes as they are (entry.py hands them to Python, which decodes them by PEP 263). */
  code: string | Uint8Array;
  stdin: string | null;
  trace: boolean;
}

/** What happened, before it is put in a member's words (see classify.ts). */
export interface RawOutcome {
  /** The sandbox's exit code: the program's, or 128 + signal when a signal ended it. Null when we killed it. */
  exitCode: number | null;
  stoppedFor: "timeout" | "output" | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Bytes the program wrote to stdout/stderr, including what was not kept. */
  stdoutBytes: number;
  stderrBytes: number;
  /** The tracer's report text, or null when the program never got to write it. */
  report: string | null;
  durationMs: number;
  counters: CgroupCounters | null;
  /** entry.py got as far as waiting for the request: the sandbox itself started. */
  started: boolean;
}

export interface SpawnOptions {
  python: string;
  sandboxDir: string;
  limits: SandboxLimits;
  uid: number;
  seccomp: Buffer;
  /** Per-run cgroups available (tier A)? */
  useCgroup: boolean;
  cgroupName: string;
}

const READY = "ready\n";

const REPORT_MAX_BYTES = 8 * 1024 * 1024;
/** After the sandbox exits, how long its pipes may stay open before we stop waiting for them. */
const DRAIN_GRACE_MS = 500;

/** The request as entry.py reads it: "TRACE CODE_BYTES STDIN_BYTES\n", then the code's bytes and stdin (UTF-8). */
function encodeRequest(request: SandboxRequest): Buffer {
  const code =
    typeof request.code === "string" ? Buffer.from(request.code, "utf8") : Buffer.from(request.code);
  const stdin = request.stdin === null ? null : Buffer.from(request.stdin, "utf8");
  const header = `${request.trace ? 1 : 0} ${code.length} ${stdin ? stdin.length : -1}\n`;
  return Buffer.concat([Buffer.from(header, "ascii"), code, ...(stdin ? [stdin] : [])]);
}

// Empty environment: nothing of the bot's reaches the sandbox. fds 3 (report) and 4 (seccomp) are pipes.
// Plain child_process, not execa: the spawn blocks the event loop, and execa's wrapping added ~1.3 ms
// to it; --die-with-parent already does what execa's `cleanup` would.
function spawnSandbox({ file, args, uid, gid }: SandboxCommand): ChildProcess {
  return spawn(file, args, { stdio: ["pipe", "pipe", "pipe", "pipe", "pipe"], env: {}, uid, gid });
}
type SandboxChild = ChildProcess;

// Spawning blocks the event loop for a few ms (Node forks itself). One spawn per loop turn, so a
// burst of starts (pool refill + cold runs) never stacks into one long stall for the bot.
let spawnGate: Promise<void> = Promise.resolve();
function spawnTurn(): Promise<void> {
  const turn = spawnGate.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  spawnGate = turn;
  return turn;
}

export class SandboxProcess {
  /** Resolves true once entry.py is warm and waiting, false if the sandbox died before that. */
  readonly ready: Promise<boolean>;
  private child: SandboxChild | null = null;
  private cgroup: RunCgroup | null = null;
  private exited = false;
  private exitCode: number | null = null;
  private readonly exitPromise: Promise<void>;
  private resolveExit!: () => void;
  private resolveReady!: (ok: boolean) => void;
  private readonly launchDone: Promise<void>;
  private resolveLaunch!: () => void;
  private used = false;
  private stoppedFor: RawOutcome["stoppedFor"] = null;
  private readonly out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  private readonly kept = { stdout: 0, stderr: 0 };
  private readonly seen = { stdout: 0, stderr: 0 };
  private report = "";
  private wasReady = false;
  private reportBytes = 0;
  private streamsOpen = 0;
  private streamsClosed!: Promise<void>;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Why the sandbox could not start, in one line (bwrap's own message when it had one). */
  startError: string | null = null;

  private constructor(private readonly opts: SpawnOptions) {
    this.exitPromise = new Promise((r) => {
      this.resolveExit = r;
    });
    this.ready = new Promise((r) => {
      this.resolveReady = r;
    });
    this.launchDone = new Promise((r) => {
      this.resolveLaunch = r;
    });
  }

  static start(opts: SpawnOptions): SandboxProcess {
    const p = new SandboxProcess(opts);
    p.launch().catch((err: Error) => p.failToStart(err.message));
    return p;
  }

  get alive(): boolean {
    return !this.exited && this.startError === null;
  }

  private async launch(): Promise<void> {
    const { opts } = this;
    if (opts.useCgroup) {
      this.cgroup = RunCgroup.create(opts.cgroupName, {
        memoryBytes: opts.limits.memoryBytes,
        // + the launcher, bwrap's init and the interpreter itself
        tasks: opts.limits.processes + 3,
        joinerUid: opts.uid,
      });
    }
    const command = sandboxCommand({
      python: opts.python,
      sandboxDir: opts.sandboxDir,
      limits: opts.limits,
      uid: opts.uid,
      cgroupJoinFiles: this.cgroup?.joinFiles() ?? [],
    });
    await spawnTurn();
    const child = spawnSandbox(command);
    this.child = child;
    const [stdin, stdout, stderr, report, seccomp] = child.stdio as unknown as [
      Writable,
      Readable,
      Readable,
      Readable,
      Writable,
    ];
    for (const s of [stdin, seccomp]) s.on("error", () => undefined);
    seccomp.end(opts.seccomp);
    const closes = [stdout, stderr, report].map(
      (s) =>
        new Promise<void>((r) => {
          s.on("error", () => undefined);
          s.on("close", () => r());
        }),
    );
    this.streamsOpen = closes.length;
    this.streamsClosed = Promise.all(closes).then(() => undefined);
    stdout.on("data", (chunk: Buffer) => this.onOutput("stdout", chunk));
    stderr.on("data", (chunk: Buffer) => this.onOutput("stderr", chunk));
    report.on("data", (chunk: Buffer) => this.onReport(chunk));
    child.on("exit", (code) => {
      this.exited = true;
      this.exitCode = code;
      if (this.timer) clearTimeout(this.timer);
      this.resolveReady(false);
      this.resolveExit();
    });
    child.on("error", (err) => this.failToStart(err.message));
    // An idle warm sandbox must not keep the program alive: a script that forgets close() still exits
    // (and --die-with-parent takes the sandbox with it). execute() holds the loop again.
    this.holdEventLoop(false);
    this.resolveLaunch();
  }

  private failToStart(message: string): void {
    this.startError ??= message;
    this.exited = true;
    this.resolveReady(false);
    this.resolveExit();
    this.resolveLaunch();
  }

  private onOutput(stream: "stdout" | "stderr", chunk: Buffer): void {
    this.seen[stream] += chunk.length;
    const room = this.opts.limits.outputShownBytes + 4 - this.kept[stream];
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.out[stream].push(part);
      this.kept[stream] += part.length;
    }
    if (this.seen.stdout + this.seen.stderr > this.opts.limits.outputReadBytes) this.stop("output");
  }

  private onReport(chunk: Buffer): void {
    this.reportBytes += chunk.length;
    if (this.reportBytes > REPORT_MAX_BYTES) return;
    this.report += chunk.toString("utf8");
    if (!this.wasReady && this.report.startsWith(READY)) {
      this.wasReady = true;
      this.resolveReady(true);
    }
  }

  /** Kills the whole run; what it printed so far is kept. */
  private stop(reason: "timeout" | "output"): void {
    if (this.stoppedFor || this.exited) return;
    this.stoppedFor = reason;
    this.child?.kill("SIGKILL");
    this.cgroup?.killAll().catch(() => undefined);
  }

  /** Sends the one request and waits for the run to end. */
  async execute(request: SandboxRequest): Promise<RawOutcome> {
    if (this.used) throw new Error("a sandbox runs one request only");
    this.used = true;
    await this.launched();
    const child = this.child;
    this.holdEventLoop(true);
    this.startedAt = performance.now();
    if (child && !this.exited) {
      this.timer = setTimeout(() => this.stop("timeout"), this.opts.limits.wallMs);
      const stdin = child.stdio[0] as Writable;
      stdin.end(encodeRequest(request));
    }
    await this.exitPromise;
    const durationMs = Math.round(performance.now() - this.startedAt);
    if (this.streamsOpen > 0) {
      await Promise.race([this.streamsClosed, new Promise((r) => setTimeout(r, DRAIN_GRACE_MS))]);
    }
    const counters = this.cgroup ? this.cgroup.counters() : null;
    const report = this.report.startsWith(READY) ? this.report.slice(READY.length) : "";
    return {
      exitCode: this.stoppedFor ? null : this.exitCode,
      stoppedFor: this.stoppedFor,
      stdout: Buffer.concat(this.out.stdout),
      stderr: Buffer.concat(this.out.stderr),
      stdoutBytes: this.seen.stdout,
      stderrBytes: this.seen.stderr,
      report: report.length > 0 && this.reportBytes <= REPORT_MAX_BYTES ? report : null,
      durationMs,
      counters,
      started: this.wasReady,
    };
  }

  /** The start-up error text for a member or operator (bwrap's stderr when it failed early). */
  startFailure(): string {
    const stderr = Buffer.concat(this.out.stderr).toString("utf8").trim();
    return this.startError ?? (stderr || `the sandbox exited with code ${this.exitCode}`);
  }

  private holdEventLoop(hold: boolean): void {
    const child = this.child;
    if (!child) return;
    if (hold) child.ref();
    else child.unref();
    for (const stream of child.stdio) {
      const handle = stream as unknown as { ref?: () => void; unref?: () => void } | null;
      if (hold) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /** Resolves once launch() has spawned the child or the start failed (no polling: a cold run waits on it). */
  private launched(): Promise<void> {
    return this.launchDone;
  }

  /** Kills whatever is left and removes the run's cgroup. Safe to call more than once. */
  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (!this.exited) this.child?.kill("SIGKILL");
    await this.launched();
    if (this.child) await this.exitPromise;
    await this.cgroup?.remove();
    this.cgroup = null;
  }
}

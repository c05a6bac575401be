// Turns what happened in the sandbox into a status and a reason a member understands.
// One home for the outcome rules of the RunResult contract (src/sandbox/types.ts).
import { formatBytes, type SandboxLimits } from "./limits.js";
import type { RawOutcome } from "./process.js";
import type { OutputPiece, RunResult, RunStatus, TryEntry, UncaughtException, WithEntry } from "./types.js";

interface TracerReport {
  tries: TryEntry[];
  withs: WithEntry[];
  output: OutputPiece[];
  exception: UncaughtException | null;
  capped: boolean;
}

const SIGNALS: Record<number, string> = {
  4: "SIGILL (illegal instruction)",
  6: "SIGABRT (aborted)",
  7: "SIGBUS (bus error)",
  8: "SIGFPE (arithmetic error)",
  9: "SIGKILL (killed)",
  11: "SIGSEGV (segmentation fault)",
  13: "SIGPIPE (broken pipe)",
  15: "SIGTERM (terminated)",
  24: "SIGXCPU (CPU time limit)",
  25: "SIGXFSZ (file size limit)",
};

export function parseReport(text: string | null): TracerReport | null {
  if (!text) return null;
  try {
    const r = JSON.parse(text) as Partial<TracerReport>;
    return {
      tries: Array.isArray(r.tries) ? r.tries : [],
      withs: Array.isArray(r.withs) ? r.withs : [],
      output: Array.isArray(r.output) ? r.output : [],
      exception: r.exception ?? null,
      capped: r.capped === true,
    };
  } catch {
    return null;
  }
}

/** Bytes to text: cut to the shown cap on a character boundary, invalid UTF-8 replaced. */
export function decodeShown(bytes: Buffer, cap: number): { text: string; cut: boolean } {
  if (bytes.length <= cap) return { text: bytes.toString("utf8"), cut: false };
  let end = cap;
  // Do not split a multi-byte character: back up over continuation bytes (10xxxxxx).
  while (end > 0 && end > cap - 4 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), cut: true };
}

const PROCESS_LIMIT_ERRORS = new Set(["BlockingIOError"]);

export function classify(raw: RawOutcome, limits: SandboxLimits, stdinGiven: boolean): RunResult {
  const report = parseReport(raw.report);
  const stdout = decodeShown(raw.stdout, limits.outputShownBytes);
  const stderr = decodeShown(raw.stderr, limits.outputShownBytes);
  const exception = report?.exception ?? null;
  const signal = report === null && raw.exitCode !== null && raw.exitCode > 128 ? raw.exitCode - 128 : null;
  const c = raw.counters;
  const exitedOk = raw.stoppedFor === null && raw.exitCode === 0;

  const memoryHit =
    (c !== null && c.oomKills > 0) ||
    exception?.type === "MemoryError" ||
    (signal === 9 && c !== null && c.memoryFailcnt > 0);
  // The pids cgroup refusing a fork/thread counts even when the main process exits 0: a fork bomb's
  // first process often finishes fine while its children die of the limit.
  const processesHit =
    (c !== null && c.pidsMaxHits > 0) ||
    (!exitedOk &&
      ((exception !== null && PROCESS_LIMIT_ERRORS.has(exception.type)) ||
        (exception?.type === "RuntimeError" && exception.message.includes("can't start new thread"))));

  let status: RunStatus;
  let reason: string | null = null;
  const wallS = limits.wallMs / 1000;
  if (raw.stoppedFor === "output") {
    status = "output_limit";
    reason = `Stopped: the program printed more than ${formatBytes(limits.outputReadBytes)} (the output limit). The output up to that point is shown.`;
  } else if (processesHit) {
    // Before memory: a fork bomb usually hits both, and the processes are the cause.
    status = "process_limit";
    reason = `Stopped: the program tried to run more than ${limits.processes} processes and threads at once (the limit).`;
  } else if (memoryHit && !exitedOk) {
    status = "memory";
    reason = `Stopped: the program used more than ${formatBytes(limits.memoryBytes)} of memory (the memory limit).`;
  } else if (raw.stoppedFor === "timeout") {
    status = "timeout";
    reason = `Stopped after ${wallS} s (the time limit). The output up to that point is shown.`;
  } else if (signal === 24 || (signal === 9 && c === null)) {
    status = "timeout";
    reason = `Stopped: the program used more than ${limits.cpuSeconds} s of CPU time (the CPU limit).`;
  } else if (signal !== null) {
    status = "crashed";
    reason =
      signal === 25
        ? `Stopped: the program wrote a file larger than ${formatBytes(limits.filesBytes)} (the file size limit).`
        : `Python crashed: it was ended by signal ${SIGNALS[signal] ?? signal}.`;
  } else if (exception && exception.type !== "SystemExit") {
    status = "exception";
  } else if (raw.exitCode === 0) {
    status = "ok";
  } else {
    status = "exit";
    reason = `The program ended itself with exit code ${raw.exitCode}.`;
  }

  const truncated = stdout.cut || stderr.cut || raw.stoppedFor === "output";
  return {
    status,
    exitCode: signal === null ? raw.exitCode : null,
    stdout: stdout.text,
    stderr: stderr.text,
    truncated,
    durationMs: raw.durationMs,
    exception: exception && exception.type !== "SystemExit" ? exception : null,
    tries: report?.tries ?? [],
    withs: report?.withs ?? [],
    output: report?.output ?? [],
    capped: report?.capped ?? false,
    reason,
    stdinEmpty: !stdinGiven,
  };
}

/** A run that did not happen, with the reason in plain words. */
export function refused(reason: string, stdinGiven = false): RunResult {
  return {
    status: "refused",
    exitCode: null,
    stdout: "",
    stderr: "",
    truncated: false,
    durationMs: 0,
    exception: null,
    tries: [],
    withs: [],
    output: [],
    reason,
    stdinEmpty: !stdinGiven,
  };
}

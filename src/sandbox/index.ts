// The sandbox: runs a member's Python with real isolation, or refuses and says why. It returns the run and
// its clause report; the words that explain them are added above it (src/runs), not here.
//
//   const sandbox = createSandbox();            // limits from SANDBOX_* settings
//   const result = await sandbox.run({ code, stdin, ownerId, onQueue });
//   const report = await sandbox.doctor();      // live probes -> tier A/B/C/D
//   await sandbox.close();
import { access, constants } from "node:fs/promises";
import { type CoreConfig, loadCoreConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { probeCgroups, removeStaleCgroups } from "./cgroup.js";
import { classify, refused } from "./classify.js";
import { runDoctor } from "./doctor.js";
import { limitsFromConfig } from "./limits.js";
import { BWRAP, HOST_SANDBOX_DIR } from "./paths.js";
import { UidLeases, WarmPool } from "./pool.js";
import { preparedSandboxDir } from "./prepared.js";
import { SandboxProcess } from "./process.js";
import { QueueFullError, RunScheduler } from "./runQueue.js";
import { seccompFilter } from "./seccomp.js";
import {
  type Availability,
  codeText,
  type DoctorReport,
  hasStdin,
  type RunRequest,
  type RunResult,
  type Sandbox,
} from "./types.js";

export type { SandboxLimits } from "./limits.js";
export type {
  Availability,
  DoctorCheck,
  DoctorReport,
  RunRequest,
  RunResult,
  RunStatus,
  Sandbox,
  Tier,
} from "./types.js";

export const MAX_CODE_BYTES = 256 * 1024;
export const MAX_STDIN_BYTES = 1024 * 1024;

let runCounter = 0;

export function createSandbox(config: CoreConfig = loadCoreConfig(), logger?: Logger): Sandbox {
  const limits = limitsFromConfig(config);
  const asRoot = process.getuid?.() === 0;
  let scheduler = new RunScheduler(config.SANDBOX_CONCURRENCY, config.SANDBOX_QUEUE_MAX);
  const leases = new UidLeases(
    config.SANDBOX_UID_BASE,
    config.SANDBOX_CONCURRENCY + config.SANDBOX_WARM_POOL + 1,
  );
  let closed = false;
  /** Set when the last doctor() denied public runs: isolation is not real, so nothing runs. */
  let deniedByDoctor: string | null = null;
  /** The last report whose every check could observe: what an inconclusive doctor keeps. */
  let lastProven: DoctorReport | null = null;
  let useCgroup = false;
  let seccomp: Buffer = Buffer.alloc(0);
  let sandboxDir = HOST_SANDBOX_DIR;
  const live = new Set<SandboxProcess>();

  const retire = (p: SandboxProcess, uid: number): void => {
    p.dispose()
      .catch((err: Error) => logger?.warn({ err: err.message }, "sandbox cleanup failed"))
      .finally(() => {
        live.delete(p);
        leases.release(uid);
      });
  };

  const uidOf = new WeakMap<SandboxProcess, number>();
  const spawn = async (): Promise<SandboxProcess> => {
    const uid = await leases.acquire();
    const p = SandboxProcess.start({
      python: config.PYTHON,
      sandboxDir,
      limits,
      // Not root: no uid to switch to; the namespaces still isolate (the doctor says what holds).
      uid: asRoot ? uid : -1,
      seccomp,
      useCgroup,
      cgroupName: `${process.pid}-${++runCounter}`,
    });
    live.add(p);
    uidOf.set(p, uid);
    return p;
  };
  const discard = (p: SandboxProcess) => retire(p, uidOf.get(p) as number);
  const pool = new WarmPool(config.SANDBOX_WARM_POOL, spawn, discard);

  let availability: Promise<Availability> | null = null;
  const checkAvailability = (): Promise<Availability> => {
    availability ??= (async (): Promise<Availability> => {
      const missing = await findMissing(config.PYTHON);
      if (missing) return { ok: false, cgroups: false, reason: missing };
      try {
        seccomp = await seccompFilter(config.PYTHON);
        sandboxDir = await preparedSandboxDir(config.PYTHON);
      } catch (err) {
        return { ok: false, cgroups: false, reason: (err as Error).message };
      }
      if (asRoot) await removeStaleCgroups();
      const cg = asRoot ? await probeCgroups() : { ok: false, detail: "not root" };
      useCgroup = cg.ok;
      if (!cg.ok) {
        // Tier B: memory is bounded by rlimits only, so never two runs at once.
        scheduler = new RunScheduler(1, config.SANDBOX_QUEUE_MAX);
        logger?.warn({ detail: cg.detail }, "no per-run cgroups: one run at a time");
      }
      pool.fill();
      return { ok: true, cgroups: cg.ok, reason: null };
    })();
    return availability;
  };

  const execute = async (request: RunRequest): Promise<RunResult> => {
    const stdinGiven = hasStdin(request);
    const p = pool.take() ?? (await spawn());
    const uid = uidOf.get(p) as number;
    try {
      const raw = await p.execute({
        code: request.code,
        stdin: request.stdin ?? null,
        trace: request.trace ?? true,
      });
      if (!raw.started && raw.stoppedFor === null) {
        const why = p.startFailure();
        logger?.error({ why }, "sandbox failed to start");
        return refused(
          `The sandbox could not start, so the code was not run (${firstLine(why)}).`,
          stdinGiven,
        );
      }
      const result = classify(raw, limits, stdinGiven);
      logger?.debug({ status: result.status, ms: result.durationMs }, "sandbox run");
      return result;
    } finally {
      retire(p, uid);
      if (!closed) pool.fill();
    }
  };

  return {
    limits,
    availability: checkAvailability,

    async run(request) {
      const stdinGiven = hasStdin(request);
      const invalid = validate(request);
      if (invalid) return refused(invalid, stdinGiven);
      if (closed) return refused("The sandbox is shutting down; try again in a moment.", stdinGiven);
      const avail = await checkAvailability();
      if (!avail.ok) return refused(`Running code is switched off here: ${avail.reason}`, stdinGiven);
      if (deniedByDoctor) return refused(deniedByDoctor, stdinGiven);
      try {
        return await scheduler.schedule(request.ownerId, request.onQueue, () => execute(request));
      } catch (err) {
        if (err instanceof QueueFullError) {
          return refused(
            err.scope === "owner"
              ? "You already have runs waiting in the queue; this one was not added. Try again when they have finished."
              : `Too many runs are waiting right now (${config.SANDBOX_QUEUE_MAX} in the queue). Please try again in a minute.`,
            stdinGiven,
          );
        }
        throw err;
      }
    },

    async doctor(options) {
      const report = await runDoctor(
        config,
        checkAvailability,
        (probeConfig) => createSandbox(probeConfig, logger),
        options,
      );
      if (report.inconclusive.length === 0) {
        lastProven = report;
        deniedByDoctor = report.publicRuns ? null : doctorRefusal(report);
        return report;
      }
      if (lastProven)
        return { ...report, tier: lastProven.tier, publicRuns: lastProven.publicRuns, keptEarlier: true };
      deniedByDoctor = unprovenRefusal(report);
      return { ...report, tier: "D", publicRuns: false };
    },

    async close() {
      closed = true;
      for (const p of pool.close()) discard(p);
      // Wait for every sandbox still being cleaned up, so the caller can exit with nothing left behind.
      while (live.size > 0) await new Promise((r) => setTimeout(r, 10));
    },
  };
}

function validate(request: RunRequest): string | null {
  if (codeText(request.code).trim() === "") return "There is no code to run.";
  if (Buffer.byteLength(request.code) > MAX_CODE_BYTES)
    return `The code is longer than ${MAX_CODE_BYTES / 1024} KiB; please send a shorter program.`;
  if (request.stdin !== undefined && Buffer.byteLength(request.stdin) > MAX_STDIN_BYTES)
    return `The stdin text is longer than ${MAX_STDIN_BYTES / 1024} KiB.`;
  return null;
}

async function findMissing(python: string): Promise<string | null> {
  const executable = (path: string) =>
    access(path, constants.X_OK).then(
      () => true,
      () => false,
    );
  if (!(await executable(BWRAP)))
    return `${BWRAP} is missing; install bubblewrap (apt-get install bubblewrap).`;
  if (!(await executable(python)))
    return `${python} is missing; install python3.11 (apt-get install python3.11).`;
  return null;
}

function doctorRefusal(report: DoctorReport): string {
  const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
  return (
    `Running code is switched off here: the sandbox self-check failed (${failed.join(", ")}), so code could ` +
    "not be isolated safely. The operator can see why with `npx tutor doctor`; `bash scripts/setup.sh` installs " +
    "what the sandbox needs (bubblewrap, python3.11, python3-seccomp)."
  );
}

function unprovenRefusal(report: DoctorReport): string {
  return (
    `Running code is paused: the sandbox self-check could not finish its probes (${report.inconclusive.join(", ")}) ` +
    "because the machine is very busy, so isolation is not proven yet. It checks again shortly; please try again in a minute."
  );
}

function firstLine(text: string): string {
  return text.split("\n")[0]?.slice(0, 200) ?? "";
}

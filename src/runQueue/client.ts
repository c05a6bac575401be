// The bot's side of the run queue: a Sandbox (the interface of src/sandbox) whose runs go through BullMQ on
// Redis to `tutor worker` processes, here or on other machines. The bot cannot tell it from the in-process
// sandbox host: run() resolves with the worker's RunResult, or with a refusal that says plainly why not.
//
// At most once: a run is added once (attempts: 1) and never retried; the workers fail a run whose worker
// vanished instead of starting it again (maxStalledCount: 0). Fair across bot processes: admission.ts.
// The bot process that took the interaction waits here for its result, so it is the one that edits the reply.
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import type { CoreConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { refused } from "../sandbox/classify.js";
import { limitsFromConfig } from "../sandbox/limits.js";
import {
  type Availability,
  type DoctorReport,
  hasStdin,
  type RunRequest,
  type RunResult,
  type Sandbox,
} from "../sandbox/types.js";
import { RunAdmission } from "./admission.js";
import { isStalledFailure, type RunJob, resultFrom, toJobRequest } from "./job.js";
import { KEY_PREFIX, lockDurationMs, openRedis, QUEUE_NAME, START_WITHIN_MS, safeUrl } from "./redis.js";
import {
  globalFull,
  NO_WORKERS,
  NOT_STARTED,
  OWNER_FULL,
  QUEUE_DOWN,
  QUEUE_LOST,
  RUNNER_STOPPED,
  SHUTTING_DOWN,
} from "./texts.js";

/** How often this process checks on its runs (turns, positions, vanished workers, a missed event). */
const TICK_MS = 250;
/** A run is shown a queue position only once it has waited this long: a quick run is answered directly. */
const POSITION_AFTER_MS = 300;
/** How old the count of connected workers may be before it is asked again. */
const WORKERS_FRESH_MS = 2000;
/** Redis unreachable this long: the runs waiting on it are answered as lost instead of left hanging. */
const OUTAGE_GIVE_UP_MS = 10_000;
/** Clocks of the bot and worker machines may differ by this much (the workers never start a run late). */
const CLOCK_MARGIN_MS = 2000;

export interface RunQueue extends Sandbox {
  /** Whether Redis is reachable right now. */
  readonly connected: boolean;
}

interface Pending {
  runId: string;
  owner: string | undefined;
  job: RunJob;
  stdinGiven: boolean;
  /** held: behind its member's run in flight; queued: in BullMQ, waiting for a worker; active: running. */
  phase: "held" | "queued" | "active";
  admittedAt: number;
  activeAt: number;
  lastPosition: number;
  onQueue: ((position: number) => void) | undefined;
  resolve: (result: RunResult) => void;
}

export function createRunQueue(config: CoreConfig, logger?: Logger): RunQueue {
  const url = config.RUNS_QUEUE_URL;
  if (!url) throw new Error("createRunQueue needs RUNS_QUEUE_URL");
  const limits = limitsFromConfig(config);
  const lockMs = lockDurationMs(config.SANDBOX_WALL_MS);
  const commands = openRedis(url, "commands");
  const queue = new Queue<RunJob>(QUEUE_NAME, { connection: commands });
  const eventsConnection = openRedis(url, "blocking");
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  const admission = new RunAdmission(commands, KEY_PREFIX);
  const pending = new Map<string, Pending>();
  /** Runs given up on while Redis was away: removed when it is back, so no worker starts them late. */
  const abandoned = new Set<string>();
  let workers = { count: 0, at: 0 };
  let outageSince: number | null = null;
  let ticker: NodeJS.Timeout | null = null;
  let ticking = false;
  let closed = false;

  queue.on("error", (err) => logger?.debug({ err: err.message }, "run queue connection"));
  events.on("error", (err) => logger?.debug({ err: err.message }, "run queue events connection"));
  let everReady = false;
  commands.on("ready", () => {
    everReady = true;
    if (outageSince !== null) logger?.info("run queue reachable again");
    outageSince = null;
    for (const runId of abandoned) {
      queue
        .remove(runId)
        .then(() => abandoned.delete(runId))
        .catch(() => undefined);
    }
  });

  const settle = (e: Pending, result: RunResult): void => {
    if (pending.get(e.runId) !== e) return;
    pending.delete(e.runId);
    // The member's place is given back before they hear the result, so a run they send next is never
    // counted against one already answered. Fails at once if Redis is away (then swept by its expiry).
    void admission
      .finished(e.runId, e.owner)
      .catch(() => undefined)
      .finally(() => e.resolve(result));
    // This member's next run may be waiting in this very process: give it its turn now, not at the next tick.
    if ([...pending.values()].some((p) => p.phase === "held" && p.owner === e.owner)) setImmediate(tick);
  };
  const refuse = (e: Pending, reason: string) => settle(e, refused(reason, e.stdinGiven));
  const notify = (e: Pending, position: number): void => {
    if (position === e.lastPosition) return;
    e.lastPosition = position;
    try {
      e.onQueue?.(position);
    } catch {
      // a front end's callback failing must not stall the queue
    }
  };

  events.on("active", ({ jobId }) => {
    const e = pending.get(jobId);
    if (!e || e.phase === "active") return;
    e.phase = "active";
    e.activeAt = Date.now();
    notify(e, 0);
  });
  events.on("completed", ({ jobId, returnvalue }) => {
    const e = pending.get(jobId);
    if (e) settle(e, resultFrom(returnvalue));
  });
  events.on("failed", ({ jobId, failedReason }) => {
    const e = pending.get(jobId);
    if (e) refuse(e, failureText(failedReason));
  });
  // A run whose worker vanished (kill -9, a crashed machine): BullMQ fails it instead of running it again.
  events.on("stalled", ({ jobId }) => {
    const e = pending.get(jobId);
    if (e) refuse(e, RUNNER_STOPPED);
  });

  const submit = async (e: Pending): Promise<void> => {
    e.phase = "queued";
    try {
      await queue.add("run", e.job, {
        jobId: e.runId,
        attempts: 1,
        removeOnComplete: { age: 600 },
        removeOnFail: { age: 600 },
      });
    } catch (err) {
      logger?.warn({ err: (err as Error).message }, "could not add a run to the queue");
      refuse(e, QUEUE_DOWN);
    }
  };

  const refreshWorkers = async (): Promise<number> => {
    workers = { count: await queue.getWorkersCount(), at: Date.now() };
    return workers.count;
  };

  /** Redis is away: answer what cannot be answered any more; no worker can start a run meanwhile. */
  const duringOutage = (now: number): void => {
    outageSince ??= now;
    if (now - outageSince < OUTAGE_GIVE_UP_MS) return;
    for (const e of pending.values()) {
      if (e.phase !== "active") abandoned.add(e.runId);
      refuse(e, QUEUE_LOST);
    }
  };

  /** An active run whose completion event was missed (events reconnecting), or that Redis forgot. */
  const checkActive = async (e: Pending, now: number): Promise<void> => {
    if (now - e.activeAt < 1000) return;
    const state = await queue.getJobState(e.runId);
    if (state === "unknown") return refuse(e, QUEUE_LOST);
    if (state === "completed" || state === "failed") {
      const job = await queue.getJob(e.runId);
      if (!job) return refuse(e, QUEUE_LOST);
      if (state === "completed") return settle(e, resultFrom(job.returnvalue));
      return refuse(e, failureText(job.failedReason));
    }
    // Its worker is alive (it keeps the lock) yet far past any run's length: stop waiting.
    if (now - e.activeAt > 2 * lockMs + 10_000) refuse(e, RUNNER_STOPPED);
  };

  async function tickOnce(): Promise<void> {
    const now = Date.now();
    const runs = [...pending.values()];
    if (commands.status !== "ready") return duringOutage(now);
    const states = await admission.tick(runs);
    for (const [i, e] of runs.entries()) {
      const s = states[i];
      if (!s || pending.get(e.runId) !== e) continue;
      if (e.phase === "active") {
        await checkActive(e, now);
        continue;
      }
      if (!s.known) {
        refuse(e, QUEUE_LOST); // Redis restarted empty: the run and its place are gone
        continue;
      }
      if (e.phase === "held" && s.turn) void submit(e);
      if (s.position !== null && now - e.admittedAt >= POSITION_AFTER_MS) notify(e, s.position);
      if (
        now > e.job.notAfter + CLOCK_MARGIN_MS &&
        (e.phase === "held" || (await queue.remove(e.runId)) === 1)
      )
        refuse(e, NOT_STARTED);
    }
    if (pending.size > 0 && now - workers.at >= WORKERS_FRESH_MS && (await refreshWorkers()) === 0) {
      for (const e of pending.values()) {
        if (e.phase === "active") refuse(e, RUNNER_STOPPED);
        else if (e.phase === "held" || (await queue.remove(e.runId)) === 1) refuse(e, NO_WORKERS);
      }
    }
  }

  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
    try {
      await tickOnce();
    } catch (err) {
      if (commands.status !== "ready") duringOutage(Date.now());
      else logger?.warn({ err: (err as Error).message }, "run queue check failed");
    } finally {
      ticking = false;
      if (pending.size === 0 && ticker) {
        clearInterval(ticker);
        ticker = null;
      }
    }
  }

  const ensureTicking = (): void => {
    ticker ??= setInterval(() => void tick(), TICK_MS);
  };

  // A function, so TypeScript does not narrow the status across awaits.
  const isReady = (): boolean => commands.status === "ready";
  const connectedWithin = async (ms: number): Promise<boolean> => {
    if (commands.status === "ready") return true;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        commands.off("ready", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      commands.once("ready", done);
    });
    return isReady();
  };

  return {
    limits,

    get connected() {
      return commands.status === "ready";
    },

    async run(request: RunRequest): Promise<RunResult> {
      const stdinGiven = hasStdin(request);
      if (closed) return refused(SHUTTING_DOWN, stdinGiven);
      // Just created: give the first connection a moment. Later, an outage is refused at once.
      if (!everReady) await connectedWithin(2000);
      if (!isReady()) return refused(QUEUE_DOWN, stdinGiven);
      const runId = randomUUID();
      let admitted: Awaited<ReturnType<RunAdmission["admit"]>>;
      try {
        // The worker count is refreshed in the background; only the very first run waits for it.
        if (workers.at === 0) await refreshWorkers();
        else if (Date.now() - workers.at >= WORKERS_FRESH_MS) refreshWorkers().catch(() => undefined);
        if (workers.count === 0) return refused(NO_WORKERS, stdinGiven);
        admitted = await admission.admit(runId, request.ownerId, config.SANDBOX_QUEUE_MAX);
      } catch (err) {
        logger?.warn({ err: (err as Error).message }, "run queue unreachable");
        return refused(QUEUE_DOWN, stdinGiven);
      }
      if (!admitted.admitted)
        return refused(
          admitted.scope === "owner" ? OWNER_FULL : globalFull(config.SANDBOX_QUEUE_MAX),
          stdinGiven,
        );
      const now = Date.now();
      return new Promise<RunResult>((resolve) => {
        const e: Pending = {
          runId,
          owner: request.ownerId,
          job: { request: toJobRequest(request), notAfter: now + START_WITHIN_MS },
          stdinGiven,
          phase: "held",
          admittedAt: now,
          activeAt: 0,
          lastPosition: -1,
          onQueue: request.onQueue,
          resolve,
        };
        pending.set(runId, e);
        if (admitted.turn) void submit(e);
        ensureTicking();
      });
    },

    /** The workers prove isolation with their own doctor before taking runs (never below WORKER_MIN_TIER);
     *  here: is the queue there, and anyone taking runs? Public runs stay allowed either way: each run is
     *  refused with its own plain reason while Redis or the workers are away, and goes again once they are
     *  back, without waiting for another verdict. */
    async doctor(): Promise<DoctorReport> {
      const reachable = await connectedWithin(3000);
      const count = reachable ? await refreshWorkers().catch(() => 0) : 0;
      return {
        tier: config.WORKER_MIN_TIER,
        publicRuns: true,
        inconclusive: [],
        checks: [
          {
            name: "run queue reachable",
            ok: reachable,
            detail: `${safeUrl(url)}${reachable ? "" : " does not answer; /run refuses until it does"}`,
          },
          {
            name: "workers connected",
            ok: count > 0,
            detail: `${count} \`tutor worker\` process(es), each refusing work below tier ${config.WORKER_MIN_TIER}`,
          },
        ],
      };
    },

    async availability(): Promise<Availability> {
      const ok = await connectedWithin(3000);
      return { ok, cgroups: true, reason: ok ? null : QUEUE_DOWN };
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const e of pending.values()) refuse(e, SHUTTING_DOWN);
      if (ticker) clearInterval(ticker);
      ticker = null;
      await Promise.allSettled([events.close(), queue.close()]);
      eventsConnection.disconnect();
      commands.disconnect();
    },
  };
}

function failureText(reason: string | undefined): string {
  if (isStalledFailure(reason)) return RUNNER_STOPPED;
  return `The runner could not run this code (${(reason ?? "no reason given").slice(0, 200)}); press Re-run.`;
}

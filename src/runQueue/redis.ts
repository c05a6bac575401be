// The run queue's names and Redis connections, in one place for the bot side (client.ts) and the worker
// side (worker.ts). BullMQ 6 loads no Redis driver by itself in ESM: it is given ioredis clients.
import { Redis } from "ioredis";

/** The BullMQ queue every bot process adds runs to and every `tutor worker` takes them from. */
export const QUEUE_NAME = "tutor-runs";
/** Our own keys (admission, cooldowns) beside BullMQ's `bull:tutor-runs:*`. */
export const KEY_PREFIX = "tutor:runq:";

/** A worker's lock outlives the longest run by this much; lost workers are noticed within about it. */
export const LOCK_MARGIN_MS = 3000;
/** How often workers look for runs whose worker vanished (BullMQ's stalled check). */
export const STALLED_INTERVAL_MS = 1000;
/** How long a run may wait for a worker to start it; after that no worker will run it. */
export const START_WITHIN_MS = 120_000;

/** The lock a worker holds on a run: longer than the longest run (the wall limit), so a live worker never
 *  loses it mid-run, and short enough that a dead worker's run is answered soon after its time limit. */
export function lockDurationMs(wallMs: number): number {
  return wallMs + LOCK_MARGIN_MS;
}

export type ConnectionRole =
  /** Commands that must fail at once when Redis is away, so /run is refused instead of hanging. */
  | "commands"
  /** Blocking reads (QueueEvents, a Worker): BullMQ needs them to retry forever. */
  | "blocking";

/** An ioredis client that reconnects by itself within about a second of Redis coming back. */
export function openRedis(url: string, role: ConnectionRole): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    connectTimeout: 2000,
    // Reconnect quickly and forever: "runs work again by themselves" when Redis is back.
    retryStrategy: (times) => Math.min(100 * times, 1000),
    ...(role === "commands"
      ? { enableOfflineQueue: false, maxRetriesPerRequest: 1 }
      : { maxRetriesPerRequest: null }),
  });
  // ioredis logs unhandled "error" events to stderr on every failed reconnect; the owners watch `status`.
  redis.on("error", () => undefined);
  return redis;
}

/** The URL without its password, for logs and messages. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unreadable URL)";
  }
}

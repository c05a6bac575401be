// One run as it travels through the queue: what the bot adds and what a worker takes.
import type { WireRunRequest } from "../sandbox/host/protocol.js";
import type { RunResult } from "../sandbox/types.js";

export interface RunJob {
  /** The member's code and stdin; never their identity (the bot already applied the per-member rules). */
  request: WireRunRequest;
  /** Epoch ms after which no worker starts this run: the bot has stopped waiting for it by then. */
  notAfter: number;
}

/** BullMQ hands a worker's return value back parsed; older stream entries may hold it as JSON text. */
export function resultFrom(value: unknown): RunResult {
  return (typeof value === "string" ? JSON.parse(value) : value) as RunResult;
}

/** BullMQ's words for a run whose worker vanished (its lock expired and the stalled check failed it). */
export function isStalledFailure(reason: string | undefined): boolean {
  return /stalled/i.test(reason ?? "");
}

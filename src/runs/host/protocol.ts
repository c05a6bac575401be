// The messages between the bot and its sandbox host (host/main.ts), over the child-process IPC channel.
import type { CoreConfig } from "../../config.js";
import type { Availability, DoctorOptions, DoctorReport, RunRequest } from "../../sandbox/types.js";
import type { ExplainedRun } from "../index.js";

/** A run request as it crosses the channel: its data only. Callbacks stay with the bot (onQueue becomes
 *  events); a function would not survive the channel's structured clone. */
export type WireRunRequest = Pick<RunRequest, "code" | "stdin" | "ownerId" | "trace">;

/** The data of a request, and nothing else, so whatever a caller adds to a request cannot break the channel. */
export function wireRequest(request: RunRequest): WireRunRequest {
  const { code, stdin, ownerId, trace } = request;
  return {
    code,
    ...(stdin === undefined ? {} : { stdin }),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(trace === undefined ? {} : { trace }),
  };
}

export type HostCall =
  | { id: number; op: "init"; config: CoreConfig }
  | { id: number; op: "run"; request: WireRunRequest }
  | { id: number; op: "doctor"; options?: DoctorOptions }
  | { id: number; op: "availability" }
  | { id: number; op: "close" };

export type HostReply =
  | { id: number; ok: true; value: ExplainedRun | DoctorReport | Availability | null }
  | { id: number; ok: false; error: string }
  /** A queue position for run `id` (0 = running now). */
  | { id: number; queue: number }
  /** One pino log line of the host, re-logged by the bot's own logger. */
  | { log: string };

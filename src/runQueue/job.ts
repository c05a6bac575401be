// One run as it travels through the queue: what the bot adds and what a worker takes. Jobs cross as JSON, so
// a program given as a file's bytes travels as base64 and is turned back into the same bytes.
import type { RunRequest, RunResult } from "../sandbox/types.js";

/** The member's code and stdin; never their identity (the bot already applied the per-member rules). */
export interface JobRequest {
  code: string | { base64: string };
  stdin?: string;
  trace?: boolean;
}

export interface RunJob {
  request: JobRequest;
  /** Epoch ms after which no worker starts this run: the bot has stopped waiting for it by then. */
  notAfter: number;
}

export function toJobRequest(request: RunRequest): JobRequest {
  const { code, stdin, trace } = request;
  return {
    code: typeof code === "string" ? code : { base64: Buffer.from(code).toString("base64") },
    ...(stdin === undefined ? {} : { stdin }),
    ...(trace === undefined ? {} : { trace }),
  };
}

export function fromJobRequest(request: JobRequest): RunRequest {
  const { code, stdin, trace } = request;
  return {
    code: typeof code === "string" ? code : new Uint8Array(Buffer.from(code.base64, "base64")),
    ...(stdin === undefined ? {} : { stdin }),
    ...(trace === undefined ? {} : { trace }),
  };
}

/** BullMQ hands a worker's return value back parsed; older stream entries may hold it as JSON text. */
export function resultFrom(value: unknown): RunResult {
  return (typeof value === "string" ? JSON.parse(value) : value) as RunResult;
}

/** BullMQ's words for a run whose worker vanished (its lock expired and the stalled check failed it). */
export function isStalledFailure(reason: string | undefined): boolean {
  return /stalled/i.test(reason ?? "");
}

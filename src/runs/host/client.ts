// The bot's side of the sandbox host: a Runner whose work happens in host/main.ts, a child process.
// Same interface as createRunner(), so the bot cannot tell the difference, except that starting a
// sandbox no longer stalls its event loop (see host/main.ts for why it would).
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type CoreConfig, coreSettings } from "../../config.js";
import type { Logger } from "../../logger.js";
import { refused } from "../../sandbox/classify.js";
import { limitsFromConfig } from "../../sandbox/limits.js";
import { type Availability, type DoctorReport, hasStdin } from "../../sandbox/types.js";
import { type ExplainedRun, explained, type Runner } from "../index.js";
import { type HostCall, type HostReply, wireRequest } from "./protocol.js";

const HOST_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const TSX_LOADER = import.meta.resolve("tsx");
const CLOSE_GRACE_MS = 5000;

export interface SandboxHost extends Runner {
  /** The host process's pid while it runs (for operators and tests). */
  readonly pid: number | null;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onQueue?: ((position: number) => void) | undefined;
}

/** A call without its id (given by send()), kept as a union so each op keeps its own fields. */
type CallBody = HostCall extends infer C ? (C extends HostCall ? Omit<C, "id"> : never) : never;

export function createSandboxHost(config: CoreConfig, logger?: Logger): SandboxHost {
  const limits = limitsFromConfig(config);
  const pending = new Map<number, Pending>();
  let child: ChildProcess | null = null;
  let nextId = 1;
  let closed = false;
  let doctorAsked = false;
  // After a host restart, the new host proves isolation again before it runs anything: a doctor that
  // denied public runs must not be forgotten because its process died.
  let gate: Promise<unknown> = Promise.resolve();

  const onMessage = (reply: HostReply): void => {
    if ("log" in reply) {
      relog(logger, reply.log);
      return;
    }
    const p = pending.get(reply.id);
    if (!p) return;
    if ("queue" in reply) {
      p.onQueue?.(reply.queue);
      return;
    }
    pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(reply.error));
  };

  const start = (): ChildProcess => {
    const c = fork(HOST_MAIN, [], {
      execArgv: ["--import", TSX_LOADER],
      // Nothing of the bot's environment: the host gets its settings in the init message.
      env: { PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      // "advanced" (structured clone): a file's source bytes cross as bytes (JSON would mangle a Uint8Array).
      serialization: "advanced",
    });
    const gone = (why: string) => {
      if (child !== c) return;
      child = null;
      const err = new Error(`the sandbox host stopped (${why})`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      if (!closed) logger?.error({ why }, "sandbox host stopped; it restarts on the next request");
    };
    c.on("message", onMessage);
    c.on("exit", (code, signal) => gone(signal ?? `exit code ${code}`));
    c.on("error", (err) => gone(err.message));
    child = c;
    send(c, { op: "init", config: coreSettings(config) }).catch((err: Error) =>
      logger?.error({ err: err.message }, "sandbox host failed to start"),
    );
    if (doctorAsked) gate = send(c, { op: "doctor" }).catch(() => undefined);
    return c;
  };

  function send(c: ChildProcess, body: CallBody, onQueue?: (position: number) => void): Promise<unknown> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onQueue });
      // A closed channel reports through the callback, not by throwing.
      c.send({ id, ...body } as HostCall, (err: Error | null) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });
  }

  const call = async (body: CallBody, onQueue?: (position: number) => void): Promise<unknown> => {
    if (closed) throw new Error("the sandbox is shutting down");
    const c = child ?? start();
    if (body.op !== "doctor") await gate;
    return send(c, body, onQueue);
  };

  return {
    limits,

    get pid() {
      return child?.pid ?? null;
    },

    async run(request) {
      const stdinGiven = hasStdin(request);
      const refuse = (reason: string) => explained(refused(reason, stdinGiven), request);
      if (closed) return refuse("The sandbox is shutting down; try again in a moment.");
      const { onQueue } = request;
      const wire = wireRequest(request);
      try {
        return (await call({ op: "run", request: wire }, onQueue)) as ExplainedRun;
      } catch (err) {
        if (closed) return refuse("The sandbox is shutting down; try again in a moment.");
        logger?.error({ err: (err as Error).message }, "sandbox run lost");
        return refuse(
          "The sandbox stopped unexpectedly, so the code did not finish running. Please try again.",
        );
      }
    },

    async doctor(options) {
      // Starts the host first if needed, without a second doctor.
      const report = call(options ? { op: "doctor", options } : { op: "doctor" });
      doctorAsked = true;
      return (await report) as DoctorReport;
    },

    async availability() {
      try {
        return (await call({ op: "availability" })) as Availability;
      } catch (err) {
        return { ok: false, cgroups: false, reason: (err as Error).message };
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once("exit", () => resolve()));
      send(c, { op: "close" }).catch(() => undefined);
      const timer = setTimeout(() => c.kill("SIGKILL"), CLOSE_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** pino's level numbers. */
const LEVELS: Record<number, "trace" | "debug" | "info" | "warn" | "error" | "fatal"> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};

/** A host log line, logged again by the bot's logger (its fields, message and level kept). */
function relog(logger: Logger | undefined, line: string): void {
  if (!logger) return;
  try {
    const { level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = JSON.parse(line);
    logger[LEVELS[level as number] ?? "info"](fields, msg);
  } catch {
    logger.warn({ line }, "unreadable sandbox host log line");
  }
}

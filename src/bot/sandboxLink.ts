// The bot's code runner: the sandbox driver (src/sandbox/index.ts, built separately), looked up at run time
// so the bot's wiring does not depend on the driver's internals. When the driver is missing the bot still
// starts, and every run is refused with a reason a member understands.
import type { CoreConfig } from "../config.js";
import type { RunRequest, RunResult } from "../sandbox/types.js";
import type { RunCode } from "./types.js";

export function refusedResult(reason: string): RunResult {
  return {
    status: "refused",
    exitCode: null,
    stdout: "",
    stderr: "",
    truncated: false,
    durationMs: 0,
    exception: null,
    tries: [],
    output: [],
    explanation: "",
    reason,
  };
}

type Module = Record<string, unknown>;

/** Finds the sandbox's run function: `createSandbox(config).run`, `createRunner(config)` or `runCode`. */
export async function loadSandboxRunner(
  config: CoreConfig,
): Promise<{ run: RunCode; close: () => Promise<void> } | null> {
  let mod: Module;
  try {
    const path = "../sandbox/index.js";
    mod = (await import(path)) as Module;
  } catch {
    return null;
  }
  const factory = (mod.createSandbox ?? mod.createRunner) as ((c: CoreConfig) => unknown) | undefined;
  if (typeof factory === "function") {
    const made = (await factory(config)) as { run?: RunCode; close?: () => Promise<void> } | RunCode;
    if (typeof made === "function") return { run: made, close: async () => {} };
    if (made && typeof made.run === "function") {
      const run = made.run.bind(made);
      return { run, close: async () => void (await made.close?.()) };
    }
  }
  const direct = (mod.runCode ?? mod.run) as ((r: RunRequest) => Promise<RunResult>) | undefined;
  if (typeof direct === "function") return { run: direct, close: async () => {} };
  return null;
}

export const refusingRunner: RunCode = async () =>
  refusedResult("The sandbox is not available on this server, so code is not run.");

// The real sandbox as a CodeRunner, for the checker and the quiz engine.
import type { CodeRunner } from "./types.js";

export interface SandboxRunner {
  run: CodeRunner;
  close(): Promise<void>;
}

/** Opens the sandbox driver. Throws with a one-line reason when it cannot run code here. */
export async function openSandboxRunner(): Promise<SandboxRunner> {
  throw new Error("the sandbox driver (src/sandbox/index.ts) is not available yet");
}

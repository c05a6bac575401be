// The real sandbox as a CodeRunner, for the checker and for tests that need real runs.
import { createRunner } from "../runs/index.js";
import type { CodeRunner } from "./types.js";

export interface SandboxRunner {
  run: CodeRunner;
  close(): Promise<void>;
}

/** Opens a sandbox. Throws with the sandbox's one-line reason when it cannot run code on this machine. */
export async function openSandboxRunner(): Promise<SandboxRunner> {
  const sandbox = createRunner();
  const availability = await sandbox.availability();
  if (!availability.ok) {
    await sandbox.close();
    throw new Error(availability.reason ?? "the sandbox is not available");
  }
  return { run: (request) => sandbox.run(request), close: () => sandbox.close() };
}

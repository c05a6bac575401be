// The one place that decides whether the sandbox-backed suites (test/explain, test/e2e, test/quiz,
// test/lessons, the sandbox host) run here. On a developer's machine without isolation they skip, saying
// why; when CI is set an unavailable sandbox fails the run with the doctor's reason instead, so a set-up
// that failed to install bubblewrap cannot land green with the core untested.
import { loadCoreConfig } from "../src/config.js";
import { createSandbox } from "../src/sandbox/index.js";
import { inCI } from "./ci.js";

const PROBE_DEADLINE_MS = 20_000;

export { inCI } from "./ci.js";

/** Thrown at a suite's load: vitest then fails the file, and so the run. */
export class SandboxRequiredError extends Error {
  override name = "SandboxRequiredError";
}

/** The decision: null runs the suite, a string skips it with that reason; in CI an unavailable sandbox throws. */
export function skipOrFail(
  unavailable: string | null,
  env: NodeJS.ProcessEnv = process.env,
  doctorSays = "",
): string | null {
  if (unavailable === null) return null;
  if (!inCI(env)) return unavailable;
  throw new SandboxRequiredError(
    `CI is set, so the sandbox-backed tests must run, but the sandbox is unavailable: ${unavailable}` +
      (doctorSays ? `\nThe doctor says: ${doctorSays}` : ""),
  );
}

function within<T>(ms: number, promise: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Why the sandbox cannot run code here, in one line (null: it ran a probe program correctly). */
export async function sandboxProbe(timeoutMs = PROBE_DEADLINE_MS): Promise<string | null> {
  const sandbox = createSandbox({ ...loadCoreConfig(), SANDBOX_WARM_POOL: 0 });
  try {
    const availability = await within(timeoutMs, sandbox.availability());
    if (!availability) return `the sandbox did not say within ${timeoutMs / 1000} s whether it can run code`;
    if (!availability.ok) return `the sandbox cannot run code here: ${availability.reason}`;
    const result = await within(timeoutMs, sandbox.run({ code: "print(6 * 7)\n" }));
    if (!result) return `the sandbox did not answer a print(6 * 7) within ${timeoutMs / 1000} s`;
    if (result.stdout !== "42\n")
      return `the sandbox ran print(6 * 7) as ${result.status}: ${result.reason ?? result.stderr}`;
    return null;
  } finally {
    await within(2000, sandbox.close());
  }
}

/** The failed checks of a live doctor, in one line ("" when it could not say). */
async function doctorVerdict(): Promise<string> {
  const sandbox = createSandbox({ ...loadCoreConfig(), SANDBOX_WARM_POOL: 0 });
  try {
    const report = await within(60_000, sandbox.doctor());
    if (!report) return "";
    const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
    return `tier ${report.tier}${failed.length ? `; ${failed.join("; ")}` : ""} (npx tutor doctor)`;
  } catch (err) {
    return `the doctor failed: ${(err as Error).message}`;
  } finally {
    await within(2000, sandbox.close());
  }
}

let decided: Promise<string | null> | null = null;

/**
 * Why the sandbox-backed tests must skip here (null: run them). Probed once per test file. Throws when CI is
 * set and the sandbox is unavailable, with the doctor's reason.
 */
export function sandboxSkipReason(): Promise<string | null> {
  decided ??= (async () => {
    const unavailable = await sandboxProbe();
    if (unavailable !== null) {
      if (inCI()) return skipOrFail(unavailable, process.env, await doctorVerdict());
      console.warn(`SKIPPED sandbox-backed tests: ${unavailable}`);
    }
    return unavailable;
  })();
  return decided;
}

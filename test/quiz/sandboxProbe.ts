// Tests that derive answers need a sandbox that really runs code. This asks it once, with a deadline,
// so a machine without isolation (or a sandbox that does not answer) skips those tests with the reason
// instead of hanging the whole suite.
import { openSandboxRunner } from "../../src/lessons/runner.js";

const PROBE_DEADLINE_MS = 20_000;

function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** null when the sandbox runs a trivial program; otherwise why not, in one line. */
export async function sandboxUnavailable(): Promise<string | null> {
  let runner: Awaited<ReturnType<typeof openSandboxRunner>>;
  try {
    runner = await within(PROBE_DEADLINE_MS, openSandboxRunner(), "the sandbox");
  } catch (err) {
    return (err as Error).message;
  }
  try {
    const result = await within(
      PROBE_DEADLINE_MS,
      runner.run({ code: 'print("probe")\n' }),
      "a sandbox probe run",
    );
    return result.status === "ok" && result.stdout === "probe\n"
      ? null
      : `a probe run ended ${result.status}${result.reason ? `: ${result.reason}` : ""}`;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await within(PROBE_DEADLINE_MS, runner.close(), "closing the sandbox").catch(() => undefined);
  }
}

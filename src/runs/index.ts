// A run as every front end gets it: the sandbox's result and clause report (src/sandbox) with the words
// that explain them (src/explain), joined here and only here. The sandbox knows nothing of the explainer.
//
//   const runner = createRunner();             // in this process (the CLI, lessons check, tests)
//   const runner = createSandboxHost(config);  // in a child process of its own (the bot: ./host/)
//   const run = await runner.run({ code });    // run.explanation, besides every RunResult field
import { type CoreConfig, loadCoreConfig } from "../config.js";
import { explainRun } from "../explain/index.js";
import type { Logger } from "../logger.js";
import { createSandbox } from "../sandbox/index.js";
import { codeText, type RunRequest, type RunResult, type Sandbox } from "../sandbox/types.js";

/** A RunResult with the learner-facing explanation of its clauses (Markdown; "" when it was refused). */
export interface ExplainedRun extends RunResult {
  explanation: string;
}

/** A sandbox whose runs come explained. */
export type Runner = Sandbox<ExplainedRun>;

/** The one place a run gets its explanation. An explainer failure costs the words, never the run. */
export function explained(result: RunResult, request: RunRequest, logger?: Logger): ExplainedRun {
  if (result.status === "refused") return { ...result, explanation: "" };
  try {
    return { ...result, explanation: explainRun(result, codeText(request.code)) };
  } catch (err) {
    logger?.warn({ err: (err as Error).message }, "explainer failed");
    return { ...result, explanation: "" };
  }
}

/** The same sandbox, its runs explained. */
export function explaining(sandbox: Sandbox, logger?: Logger): Runner {
  return {
    limits: sandbox.limits,
    run: async (request) => explained(await sandbox.run(request), request, logger),
    doctor: () => sandbox.doctor(),
    availability: () => sandbox.availability(),
    close: () => sandbox.close(),
  };
}

/** A sandbox in this process, its runs explained. */
export function createRunner(config: CoreConfig = loadCoreConfig(), logger?: Logger): Runner {
  return explaining(createSandbox(config, logger), logger);
}

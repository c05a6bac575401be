// PLACEHOLDER (scaffolding): the explainer work replaces this with the learner-facing markdown explanation.
import type { RunResult } from "../sandbox/types.js";

/** Markdown for a learner: which try/except/else/finally clauses ran, and why. */
export function explainRun(_run: RunResult, _source: string): string {
  return "";
}

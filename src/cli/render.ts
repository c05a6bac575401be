// A plain-text rendering of a RunResult for a person at a terminal (the CLI without --json).
import type { ExplainedRun } from "../runs/index.js";
import { inputWasMissing, type RunResult } from "../sandbox/types.js";

const HEADLINES: Record<RunResult["status"], string> = {
  ok: "finished",
  exception: "stopped by an uncaught exception",
  exit: "ended with sys.exit",
  timeout: "stopped: time limit",
  memory: "stopped: memory limit",
  output_limit: "stopped: output limit",
  process_limit: "stopped: process limit",
  crashed: "crashed",
  refused: "not run",
};

export function renderRunText(r: ExplainedRun): string {
  const parts: string[] = [];
  const code = r.exitCode === null ? "" : `, exit code ${r.exitCode}`;
  parts.push(`== ${HEADLINES[r.status]} (${r.status}${code}, ${r.durationMs} ms)`);
  if (r.reason) parts.push(r.reason);
  if (r.stdout) parts.push("-- stdout", r.stdout.replace(/\n$/, ""));
  if (r.stderr) parts.push("-- stderr", r.stderr.replace(/\n$/, ""));
  if (r.truncated) parts.push("(output cut to the shown-output limit)");
  if (inputWasMissing(r)) parts.push("Note: input() found stdin empty; pass text with --stdin FILE.");
  if (r.explanation) parts.push("-- explanation", r.explanation);
  return `${parts.join("\n")}\n`;
}

// Turning a RunResult into what a member reads: a status line, the output in a code block that member
// text cannot break, the clause explanation, and the whole output as a file when it does not fit.
import type { ExplainedRun } from "../runs/index.js";
import { combinedOutput, inputWasMissing, type RunResult } from "../sandbox/types.js";
import { MESSAGE_CONTENT_MAX } from "./discordLimits.js";

/** Output shown inline: at most this many lines and characters; the rest goes to output.txt. */
export const OUTPUT_LINES_SHOWN = 20;
export const OUTPUT_CHARS_SHOWN = 900;
export const EXPLANATION_CHARS = 650;

/** Backticks that could close the code block get a zero-width space after them. */
export function neutraliseBackticks(text: string): string {
  return text.replace(/`/g, "`\u200b");
}

export function codeBlock(text: string, lang = ""): string {
  return `\`\`\`${lang}\n${neutraliseBackticks(text.length > 0 ? text : " ")}\n\`\`\``;
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line saying how the run ended; each stop reason is named apart from the others. */
export function statusLine(r: RunResult): string {
  const why = r.reason ? ` ${r.reason}` : "";
  switch (r.status) {
    case "ok":
      return `✅ **Finished** in ${seconds(r.durationMs)}.`;
    case "exception": {
      const e = r.exception;
      const where = e?.line ? ` on line ${e.line}` : "";
      return `💥 **Uncaught ${e?.type ?? "exception"}**${where}${e?.message ? `: ${clip(e.message, 200)}` : ""}`;
    }
    case "exit":
      return `🚪 **Exited** with code ${r.exitCode ?? "?"}.`;
    case "timeout":
      return `⏱️ **Stopped: time limit reached.**${why}`;
    case "memory":
      return `🧠 **Stopped: memory limit reached.**${why}`;
    case "output_limit":
      return `📜 **Stopped: too much output.**${why}`;
    case "process_limit":
      return `🧵 **Stopped: too many processes or threads.**${why}`;
    case "crashed":
      return `💀 **Crashed** (killed by a signal).${why}`;
    case "refused":
      return `🚫 **Not run.**${why}`;
  }
}

export interface FormattedRun {
  content: string;
  /** The whole output, when it did not fit inline. */
  file: { name: string; data: Buffer } | null;
}

export function formatRun(r: ExplainedRun, header = ""): FormattedRun {
  const status = statusLine(r);
  const all = combinedOutput(r);
  const lines = all.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let shown = lines.slice(0, OUTPUT_LINES_SHOWN).join("\n");
  if (shown.length > OUTPUT_CHARS_SHOWN) shown = shown.slice(0, OUTPUT_CHARS_SHOWN);
  const cut = shown.length < lines.join("\n").length;
  const notes: string[] = [];
  if (cut)
    notes.push(`Showing the first part; the whole output (${lines.length} lines) is attached as output.txt.`);
  if (r.truncated) notes.push("The output was longer than the sandbox keeps, so its end is missing.");
  if (inputWasMissing(r))
    notes.push("Your program asked for input but got none: add it in the stdin box of /run.");
  const fixed = [
    clip(header, 200),
    clip(status, 300),
    all.length > 0 ? codeBlock(shown) : "*(no output)*",
    notes.map((n) => `-# ${n}`).join("\n"),
  ].filter((p) => p.length > 0);
  // The explanation gets what is left, so the code block above is never cut in half.
  const room = MESSAGE_CONTENT_MAX - fixed.join("\n").length - 1;
  const explanation = r.explanation.trim()
    ? clip(r.explanation.trim(), Math.min(EXPLANATION_CHARS, room))
    : "";
  const content = [...fixed, explanation].filter((p) => p.length > 0).join("\n");
  return {
    content,
    file: cut || r.truncated ? { name: "output.txt", data: Buffer.from(all, "utf8") } : null,
  };
}

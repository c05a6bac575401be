// Turning a RunResult into what a member reads: a status line, the output in a code block that member
// text cannot break, the clause explanation (whole, in an embed), and the whole output as a file when it
// does not fit.
import type { APIEmbed } from "discord.js";
import { BLOCK_SEPARATOR } from "../explain/index.js";
import type { ExplainedRun } from "../runs/index.js";
import { combinedOutput, inputWasMissing, type RunResult } from "../sandbox/types.js";
import { EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX, MESSAGE_CONTENT_MAX } from "./discordLimits.js";

/** Output shown inline: at most this many lines and characters; the rest goes to output.txt. */
export const OUTPUT_LINES_SHOWN = 20;
export const OUTPUT_CHARS_SHOWN = 1400;

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
  /** The clause explanation, whole: one embed (more only if it were longer than one description holds). */
  embeds: APIEmbed[];
  /** The whole output, when it did not fit inline. */
  file: { name: string; data: Buffer } | null;
}

export function formatRun(r: ExplainedRun, header = ""): FormattedRun {
  const status = clip(statusLine(r), 300);
  const all = combinedOutput(r);
  const lines = all.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const whole = lines.join("\n");
  let shown = lines.slice(0, OUTPUT_LINES_SHOWN).join("\n").slice(0, OUTPUT_CHARS_SHOWN);
  const notesFor = (cut: boolean) => {
    const notes: string[] = [];
    if (cut)
      notes.push(
        `Showing the first part; the whole output (${lines.length} lines) is attached as output.txt.`,
      );
    if (r.truncated) notes.push("The output was longer than the sandbox keeps, so its end is missing.");
    if (inputWasMissing(r))
      notes.push("Your program asked for input but got none: add it in the stdin box of /run.");
    return notes.map((n) => `-# ${n}`).join("\n");
  };
  const assemble = (block: string, notes: string) =>
    [clip(header, 200), status, block, notes].filter((p) => p.length > 0).join("\n");
  // Defused backticks take more room: shorten the shown part until the message fits, never cutting the block.
  while (shown.length > 0 && assemble(codeBlock(shown), notesFor(true)).length > MESSAGE_CONTENT_MAX)
    shown = shown.slice(0, Math.floor(shown.length * 0.9));
  const cut = shown.length < whole.length;
  return {
    content: assemble(all.length > 0 ? codeBlock(shown) : "*(no output)*", notesFor(cut)),
    embeds: explanationEmbeds(r.explanation),
    file: cut || r.truncated ? { name: "output.txt", data: Buffer.from(all, "utf8") } : null,
  };
}

/**
 * The explanation in embed descriptions, whole. It is written to fit one description (explain's own ceiling);
 * should it not, it is split between blocks (one per statement) over several embeds, never mid-block, and
 * only what exceeds all the embeds of a message together is left out, saying so.
 */
export function explanationEmbeds(explanation: string): APIEmbed[] {
  const text = explanation.trim();
  if (text.length === 0) return [];
  if (text.length <= EMBED_DESCRIPTION_MAX) return [{ description: text }];
  const note = "_...the rest of the explanation did not fit in one message._";
  let descriptions: string[] = [""];
  const size = (d: string[]) => d.reduce((n, x) => n + x.length, 0);
  for (const block of text.split(BLOCK_SEPARATOR)) {
    const next = withBlock(descriptions, clip(block, EMBED_DESCRIPTION_MAX));
    if (size(next) > EMBEDS_TOTAL_MAX - note.length - BLOCK_SEPARATOR.length) {
      descriptions = withBlock(descriptions, note);
      break;
    }
    descriptions = next;
  }
  return descriptions.map((description) => ({ description }));
}

/** The descriptions with a block added to the last one, or in a new one when it would not fit. */
function withBlock(descriptions: string[], block: string): string[] {
  const last = descriptions.at(-1) ?? "";
  const joined = last ? `${last}${BLOCK_SEPARATOR}${block}` : block;
  return joined.length <= EMBED_DESCRIPTION_MAX
    ? [...descriptions.slice(0, -1), joined]
    : [...descriptions, block];
}

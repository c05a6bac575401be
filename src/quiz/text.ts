// A question as plain text, the way a member reads it: for the CLI preview (`tutor lessons show`)
// and for logs. The Discord bot has its own layout with buttons.
import type { AnswerResult, PresentedQuestion } from "./types.js";

export function plainQuestionText(q: PresentedQuestion): string {
  const lines = [q.prompt, "```python", q.code.trimEnd(), "```"];
  if (q.kind === "whole_output") {
    for (const c of q.choices) lines.push(`${c.label}:`, ...c.text.split("\n").map((l) => `    ${l}`));
  }
  lines.push(q.choices.map((c) => `[${c.label}]`).join("  "));
  if (q.multi) lines.push("(pick every clause that runs, then Submit)");
  lines.push("[Hint]");
  return lines.join("\n");
}

export function plainResultText(q: PresentedQuestion, r: AnswerResult): string {
  const right = q.choices.filter((c) => r.correctChoiceIds.includes(c.id)).map((c) => c.label);
  return [
    `${r.correct ? "Right" : "Not quite"}: ${right.join(", ")} (${r.points} points)`,
    r.explanation,
    r.trace,
  ]
    .filter((s) => s !== "")
    .join("\n");
}

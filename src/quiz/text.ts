// A question as plain text, the way a member reads it: for the CLI preview (`tutor lessons show`)
// and for logs. The Discord bot has its own layout with buttons.
import { misconception } from "../misconceptions/catalogue.js";
import type { AnswerResult, ChoicePool, PresentedQuestion } from "./types.js";

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

/** Each choice a question can offer, with the misconception(s) behind each wrong one. */
export function choicePoolText(pool: ChoicePool): string {
  const name = (id: string) => {
    const known = misconception(id) ?? pool.own.find((m) => m.id === id);
    return known ? `${id}: ${known.belief}` : id;
  };
  const lines: string[] = [];
  const describe = (mark: string, text: string, refs: { id: string }[], derived: boolean) => {
    const [first, ...rest] = text.split("\n");
    lines.push(`${mark} ${first}`, ...rest.map((l) => `    ${l}`));
    for (const r of refs) lines.push(`    ↳ ${derived ? "derived" : "written"} · ${name(r.id)}`);
  };
  if (pool.kind === "clauses") {
    lines.push(
      `Right: ${pool.choices
        .filter((c) => c.correct)
        .map((c) => c.text)
        .join(", ")}`,
    );
    lines.push(`Wrong selections that misconceptions predict (${pool.wrongSets.length}):`);
    for (const w of pool.wrongSets) describe("✗", w.text, w.misconceptions, true);
    return lines.join("\n");
  }
  lines.push(
    `Choices (${pool.choices.length}; each round offers the right one and ${pool.offered - 1} of the others):`,
  );
  for (const c of pool.choices) describe(c.correct ? "✓" : "✗", c.text, c.misconceptions, c.derived);
  return lines.join("\n");
}

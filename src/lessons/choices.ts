// The choices a question offers, in canonical order (right answer first), and the one rule
// for comparing a written choice with the derived answer.
import type { DerivedAnswer } from "./derive.js";
import type { EscapeChoice, Question } from "./types.js";

export const MAX_CHOICES = 5;
/** Discord button labels are at most 80 characters. */
export const MAX_LABEL = 80;

export interface Choice {
  /** Canonical form used for comparisons. */
  key: string;
  /** The full text shown to the learner (may be several lines for whole_output). */
  text: string;
  correct: boolean;
}

/** Canonical form of an output text: trailing spaces and blank edges dropped, any traceback reduced to its last line. */
export function normalizeOutput(text: string): string {
  const out: string[] = [];
  let inTraceback = false;
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.startsWith("Traceback (most recent call last)")) {
      inTraceback = true;
      out.push("Traceback");
      continue;
    }
    if (inTraceback && /^\s/.test(line)) continue;
    inTraceback = false;
    out.push(line);
  }
  return out.join("\n").trim();
}

export function escapeLabel(choice: EscapeChoice): string {
  return "escapes" in choice
    ? `${choice.escapes} escapes to the caller`
    : `Nothing escapes; the caller gets ${choice.receives}`;
}

function escapeKey(choice: EscapeChoice): string {
  return "escapes" in choice ? `escapes:${choice.escapes}` : `receives:${choice.receives.trim()}`;
}

/** Each hand-written distractor with its canonical key, for the checker to prove wrong. */
export function distractorKeys(question: Question): { text: string; key: string }[] {
  switch (question.kind) {
    case "first_line":
      return question.distractors.map((d) => ({ text: d, key: d.trimEnd() }));
    case "whole_output":
      return question.distractors.map((d) => ({ text: d, key: normalizeOutput(d) }));
    case "escapes":
      return question.distractors.map((d) => ({ text: escapeLabel(d), key: escapeKey(d) }));
    case "clauses":
      return [];
  }
}

/**
 * Right answer first, then distractors, without duplicates, at most MAX_CHOICES.
 * For "what prints first?" the program's own later lines are the best traps, so they come before hand-written ones.
 * Clause questions have the four fixed clauses as choices (several may be right).
 */
export function buildChoices(question: Question, answer: DerivedAnswer): Choice[] {
  if (answer.kind === "clauses") {
    return (["try", "except", "else", "finally"] as const).map((c) => ({
      key: c,
      text: c,
      correct: answer.clauses.includes(c),
    }));
  }
  let right: Choice;
  let candidates: { text: string; key: string }[];
  if (answer.kind === "first_line") {
    right = { key: answer.line.trimEnd(), text: answer.line, correct: true };
    const later = answer.laterLines
      .filter((l) => l.trim() !== "")
      .map((l) => ({ text: l, key: l.trimEnd() }));
    candidates = [...later.slice(0, 2), ...distractorKeys(question)];
  } else if (answer.kind === "whole_output") {
    right = { key: normalizeOutput(answer.text), text: answer.text, correct: true };
    candidates = distractorKeys(question);
  } else {
    right = { key: escapeKey(answer.choice), text: escapeLabel(answer.choice), correct: true };
    candidates = distractorKeys(question);
  }
  const choices: Choice[] = [right];
  const seen = new Set([right.key]);
  for (const c of candidates) {
    if (choices.length >= MAX_CHOICES) break;
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    choices.push({ ...c, correct: false });
  }
  return choices;
}

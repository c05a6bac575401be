// The choices a question offers, in canonical order (right answer first), and the one rule
// for comparing a written choice with the derived answer.
import type { DerivedAnswer } from "./derive.js";
import type { EscapeChoice, Question } from "./types.js";

export const MAX_CHOICES = 5;
/** The misconception of a "what prints first?" choice that is one of the program's own later lines. */
export const LATER_LINE = "later-line";
/** Discord button labels are at most 80 characters. */
export const MAX_LABEL = 80;

import type { MisconceptionRef } from "../misconceptions/types.js";

export type { MisconceptionRef };

/** A wrong answer before it becomes a choice: derived from misconceptions, or hand-written. */
export interface WrongAnswer {
  key: string;
  text: string;
  misconceptions: MisconceptionRef[];
}

export interface Choice {
  /** Canonical form used for comparisons. */
  key: string;
  /** The full text shown to the learner (may be several lines for whole_output). */
  text: string;
  correct: boolean;
  /** For a wrong choice: every misconception that leads to it (empty for the right one). */
  misconceptions: MisconceptionRef[];
  /** True when the choice came from running a misconception rule, not from the lesson's text. */
  derived: boolean;
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

/** The answer as a choice (key and text); clause answers are not single choices and give null. */
export function answerChoice(answer: DerivedAnswer): { key: string; text: string } | null {
  switch (answer.kind) {
    case "first_line":
      return { key: answer.line.trimEnd(), text: answer.line };
    case "whole_output":
      return { key: normalizeOutput(answer.text), text: answer.text };
    case "escapes":
      return { key: escapeKey(answer.choice), text: escapeLabel(answer.choice) };
    case "clauses":
      return null;
  }
}

/** Each hand-written distractor with its canonical key and the misconception it names. */
export function distractorKeys(question: Question): (WrongAnswer & { line: number })[] {
  const named = (misconception: string) => [{ id: misconception }];
  switch (question.kind) {
    case "first_line":
      return question.distractors.map((d) => ({
        text: d.text,
        key: d.text.trimEnd(),
        misconceptions: named(d.misconception),
        line: d.line,
      }));
    case "whole_output":
      return question.distractors.map((d) => ({
        text: d.text,
        key: normalizeOutput(d.text),
        misconceptions: named(d.misconception),
        line: d.line,
      }));
    case "escapes":
      return question.distractors.map((d) => ({
        text: escapeLabel(d.choice),
        key: escapeKey(d.choice),
        misconceptions: named(d.misconception),
        line: d.line,
      }));
    case "clauses":
      return [];
  }
}

/**
 * Every choice the question can offer: the right answer first, then the wrong ones without duplicates:
 * those derived from misconceptions, then hand-written ones, then (for "what prints first?") the
 * program's own later lines. A wrong answer reached twice keeps one place and carries every
 * misconception behind it. A round offers the right one and `question.choices - 1` of the wrong ones
 * (the quiz engine draws them per round). Clause questions have the four fixed clauses as choices
 * (several may be right).
 */
export function buildChoices(
  question: Question,
  answer: DerivedAnswer,
  derived: WrongAnswer[] = [],
): Choice[] {
  if (answer.kind === "clauses") {
    return (["try", "except", "else", "finally"] as const).map((c) => ({
      key: c,
      text: c,
      correct: answer.clauses.includes(c),
      misconceptions: [],
      derived: false,
    }));
  }
  const rightChoice = answerChoice(answer) as { key: string; text: string };
  const right: Choice = { ...rightChoice, correct: true, misconceptions: [], derived: false };
  const later =
    answer.kind === "first_line"
      ? answer.laterLines
          .filter((l) => l.trim() !== "")
          .map((l) => ({ text: l, key: l.trimEnd(), misconceptions: [{ id: LATER_LINE }] }))
      : [];
  const candidates = [
    ...derived.map((d) => ({ ...d, derived: true })),
    ...distractorKeys(question).map((d) => ({ ...d, derived: false })),
    ...later.map((d) => ({ ...d, derived: true })),
  ];
  const choices: Choice[] = [right];
  const byKey = new Map<string, Choice>([[right.key, right]]);
  for (const c of candidates) {
    const existing = byKey.get(c.key);
    if (existing) {
      if (!existing.correct) mergeRefs(existing.misconceptions, c.misconceptions);
      continue;
    }
    const choice: Choice = {
      key: c.key,
      text: c.text,
      correct: false,
      misconceptions: [...c.misconceptions],
      derived: c.derived,
    };
    byKey.set(c.key, choice);
    choices.push(choice);
  }
  return choices;
}

/** Adds the refs of `more` to `into`, one per misconception id. */
export function mergeRefs(into: MisconceptionRef[], more: MisconceptionRef[]): void {
  for (const ref of more) {
    const same = into.find((r) => r.id === ref.id);
    if (!same) into.push(ref);
    else if (!same.lines && ref.lines) same.lines = ref.lines;
  }
}

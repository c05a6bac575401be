// Concepts: what a question tests, derived from the misconceptions its wrong answers embody (plus any the
// lesson names), and how well a member (or a whole server) masters each one. Pure functions.
import type { Choice, WrongAnswer } from "../lessons/choices.js";
import type { Question } from "../lessons/types.js";
import { CONCEPTS, type Concept, misconception } from "../misconceptions/catalogue.js";

/** A question with no misconception behind its choices still tests how a try statement runs. */
const FALLBACK: Concept = "try-flow";
/** "later-line" is about reading output order, not about a concept of its own: it never tags a question. */
const GENERIC = new Set(["later-line"]);

/** The concepts a question tests, most specific first: the lesson's own, then those of its misconceptions. */
export function questionConcepts(question: Question, choices: Choice[], wrongSets: WrongAnswer[]): string[] {
  const found = new Set<string>(question.concepts);
  for (const ref of [...choices, ...wrongSets].flatMap((c) => c.misconceptions)) {
    if (GENERIC.has(ref.id)) continue;
    const m = misconception(ref.id);
    if (m) found.add(m.concept);
  }
  if (found.size === 0) found.add(FALLBACK);
  return [...found];
}

export interface ConceptMastery {
  concept: string;
  /** What the concept covers, in a few words. */
  about: string;
  right: number;
  wrong: number;
  /** right / (right + wrong), 0..1. */
  mastery: number;
}

/** Mastery per concept from right/wrong answers per question; weakest first, concepts never answered left out. */
export function masteryByConcept(
  tallies: Iterable<{ questionKey: string; right: number; wrong: number }>,
  conceptsOf: (key: string) => string[] | undefined,
): ConceptMastery[] {
  const totals = new Map<string, { right: number; wrong: number }>();
  for (const t of tallies) {
    for (const concept of conceptsOf(t.questionKey) ?? []) {
      const sum = totals.get(concept) ?? { right: 0, wrong: 0 };
      sum.right += t.right;
      sum.wrong += t.wrong;
      totals.set(concept, sum);
    }
  }
  return [...totals]
    .filter(([, s]) => s.right + s.wrong > 0)
    .map(([concept, s]) => ({
      concept,
      about: CONCEPTS[concept as Concept] ?? concept,
      ...s,
      mastery: s.right / (s.right + s.wrong),
    }))
    .sort((a, b) => a.mastery - b.mastery || b.wrong - a.wrong || a.concept.localeCompare(b.concept));
}

/** The weakest concept that has been missed at least once, or null. */
export function weakest(mastery: ConceptMastery[]): ConceptMastery | null {
  return mastery.find((m) => m.wrong > 0) ?? null;
}

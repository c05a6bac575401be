// Misconceptions: named wrong beliefs about try / except / else / finally / with / raise, each a rule
// that gives the answer a learner holding it expects. The core of derived wrong choices and of the
// feedback that names the mistake. Knows nothing of Discord.
//
// EXPORTED API:
//   CATALOGUE: Misconception[] { id, listed?, belief, supposing, correction, concept, source? }; misconception(id)
//   CONCEPTS: { concept-id: what it covers }
//   runVariants(source, runner, rules?) -> VariantReport { shape, variants }
//        ONE sandbox run: ./python/rules.py rewrites the program per rule, ./python/harness.py runs each
//        different rewrite (member code is only ever parsed and run inside the sandbox). Throws VariantError.
//   (src/lessons/wrongAnswers.ts turns a report into a question's wrong answers: the lessons know this layer,
//    not the other way round.)
//   misconceptionFeedback({ kind, chosen, refs, own?, shape? }) -> "You chose B: that is what would print if ..."
//   RULES_VERSION: part of every cache key of derived wrong answers.

export { CATALOGUE, CONCEPTS, type Concept, type Misconception, misconception } from "./catalogue.js";
export { type FeedbackInput, fillLines, linesRef, misconceptionFeedback, namedRefs } from "./feedback.js";
export { clausesUnder, tracebackFirst } from "./runRules.js";
export type { MisconceptionRef, OwnMisconception, RunCodeForRules } from "./types.js";
export {
  type ProgramShape,
  RULES_VERSION,
  runVariants,
  type TryShape,
  type Variant,
  VariantError,
  type VariantReport,
  variantProgram,
} from "./variants.js";

// Wrong answers derived from misconceptions (src/misconceptions): what each rule's version of the program
// answers to the question, kept when it differs from the truth, merged when several rules give the same answer.
import { CATALOGUE } from "../misconceptions/catalogue.js";
import { type ClauseRuleInput, clausesUnder, tracebackFirst } from "../misconceptions/runRules.js";
import type { Variant, VariantReport } from "../misconceptions/variants.js";
import type { Clause, RunResult } from "../sandbox/types.js";
import { answerChoice, MAX_LABEL, mergeRefs, normalizeOutput, type WrongAnswer } from "./choices.js";
import { type DerivedAnswer, deriveAnswer } from "./derive.js";
import type { Question, QuestionKind } from "./types.js";

/** Rules that only make sense for some kinds of question (the rest apply to every output question). */
const ONLY_FOR: Partial<Record<string, QuestionKind[]>> = {
  // An escapes question reads the last line printed as what the caller got: a shown traceback is not that.
  "uncaught-error-continues": ["first_line", "whole_output"],
};

/** Errors a rewrite can cause by leaving a name unset: a learner holding the belief never expects those. */
const ARTEFACTS = new Set(["NameError", "UnboundLocalError"]);
/** An object's default repr shows its memory address: no learner predicts that, and it changes between runs. */
const ADDRESS = /\bat 0x[0-9a-f]+/i;

const ORDER = new Map(CATALOGUE.map((m, i) => [m.id, i]));
const rank = (w: WrongAnswer) => Math.min(...w.misconceptions.map((m) => ORDER.get(m.id) ?? 999));

/** The run a variant stands for, in the shape deriveAnswer reads. */
function variantRun(v: Variant): RunResult {
  return {
    status: v.status === "unusable" ? "refused" : v.status,
    exitCode: v.status === "ok" ? 0 : 1,
    stdout: v.stdout,
    stderr: "",
    truncated: v.truncated,
    durationMs: 0,
    exception: v.exception,
    tries: [],
    output: [],
  };
}

/** The derived wrong answers of `question`, most basic misconception first. Pure: the runs are given. */
export function deriveWrongAnswers(
  question: Question,
  truth: RunResult,
  answer: DerivedAnswer,
  report: VariantReport,
): WrongAnswer[] {
  const found: WrongAnswer[] = [];
  const add = (w: WrongAnswer) => {
    const same = found.find((f) => f.key === w.key);
    if (same) mergeRefs(same.misconceptions, w.misconceptions);
    else found.push(w);
  };
  if (answer.kind === "clauses") {
    for (const w of clauseWrongs(truth, answer.clauses, answer.entry, report)) add(w);
  } else {
    const right = answerChoice(answer)?.key;
    for (const v of report.variants) {
      const rules = v.rules.filter((r) => ONLY_FOR[r]?.includes(question.kind) ?? true);
      if (rules.length === 0) continue;
      const type = v.exception?.type;
      if (type && ARTEFACTS.has(type) && truth.exception?.type !== type) continue;
      const derived = deriveAnswer(question, variantRun(v));
      if (!derived.ok) continue;
      const choice = answerChoice(derived.answer);
      if (!choice || choice.key === right || ADDRESS.test(choice.text)) continue;
      // One-line choices become button labels: a longer one could not be shown whole.
      if (question.kind !== "whole_output" && choice.text.length > MAX_LABEL) continue;
      add({ ...choice, misconceptions: rules.map((id) => ({ id, lines: v.lines[id] ?? {} })) });
    }
    if (question.kind === "whole_output") {
      const text = tracebackFirst(truth, report.shape);
      const key = text === null ? null : normalizeOutput(text);
      if (text !== null && key !== right) {
        const finallyLines = report.shape.tries.flatMap((t) => (t.finally ? [t.finally] : []));
        add({
          key: key as string,
          text,
          misconceptions: [{ id: "traceback-before-finally", lines: { finally: finallyLines } }],
        });
      }
    }
  }
  return found.sort((a, b) => rank(a) - rank(b));
}

const clauseKey = (clauses: readonly Clause[]) => clauses.join("+");

function clauseWrongs(
  truth: RunResult,
  clauses: Clause[],
  entry: ClauseRuleInput["entry"],
  report: VariantReport,
): WrongAnswer[] {
  const shape = report.shape.tries.find((t) => t.line === entry.line);
  const variantOf = (rule: string) => report.variants.find((v) => v.rules.includes(rule));
  const input: ClauseRuleInput = {
    entry,
    shape,
    truth,
    applied: (rule) => variantOf(rule) !== undefined,
    escapedUnder: (rule) => {
      const v = variantOf(rule);
      return v === undefined ? undefined : (v.exception?.type ?? null);
    },
  };
  const lines = shape
    ? {
        try: [shape.line],
        except: shape.handlers,
        else: shape.else ? [shape.else] : [],
        finally: shape.finally ? [shape.finally] : [],
      }
    : {};
  const out: WrongAnswer[] = [];
  for (const m of CATALOGUE) {
    const under = clausesUnder(m.id, input, clauses);
    if (!under || clauseKey(under) === clauseKey(clauses)) continue;
    out.push({ key: clauseKey(under), text: under.join(", "), misconceptions: [{ id: m.id, lines }] });
  }
  return out;
}

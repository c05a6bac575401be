// Misconceptions that are about how a run is read rather than about what the program does: rules that
// transform the real run's report. For clause questions every rule is one of these (the choices are the
// four clauses, so a misconception predicts a different set of them for the try statement in question).
import type { Clause, RunResult, TryEntry } from "../sandbox/types.js";
import type { ProgramShape, TryShape } from "./variants.js";

const JUMPS = new Set(["returned", "broke", "continued"]);
const ORDER: readonly Clause[] = ["try", "except", "else", "finally"];

export interface ClauseRuleInput {
  entry: TryEntry;
  shape: TryShape | undefined;
  /** True when the rewrite rule of that id changed something in this program. */
  applied: (rule: string) => boolean;
  /** The uncaught exception type of the program rewritten by that rule (null: it ended normally). */
  escapedUnder: (rule: string) => string | null | undefined;
  truth: RunResult;
}

type ClauseRule = (input: ClauseRuleInput, ran: Set<Clause>) => boolean;

const add = (ran: Set<Clause>, c: Clause) => {
  if (ran.has(c)) return false;
  ran.add(c);
  return true;
};
const remove = (ran: Set<Clause>, c: Clause) => ran.delete(c);

/** Each rule edits the set of clauses that ran and says whether it changed it. */
export const CLAUSE_RULES: Record<string, ClauseRule> = {
  "except-always-runs": ({ entry, shape }, ran) =>
    (shape?.handlers.length ?? 0) > 0 && entry.body !== "raised" && add(ran, "except"),
  "any-except-catches": ({ entry, shape }, ran) =>
    (shape?.handlers.length ?? 0) > 0 &&
    entry.body === "raised" &&
    entry.handler === null &&
    add(ran, "except"),
  "jump-skips-finally": ({ entry, applied }, ran) =>
    entry.finally &&
    (JUMPS.has(entry.body) ||
      (entry.handler !== null && JUMPS.has(entry.outcome) && !applied("finally-jump-keeps-exception"))) &&
    remove(ran, "finally"),
  "finally-skipped-on-error": ({ entry }, ran) =>
    entry.finally && entry.outcome === "propagated" && remove(ran, "finally"),
  "finally-only-on-error": ({ entry }, ran) =>
    entry.finally && entry.body !== "raised" && entry.outcome !== "propagated" && remove(ran, "finally"),
  "else-after-handled": ({ entry, shape }, ran) =>
    shape?.else != null &&
    !entry.else &&
    (entry.handler !== null || entry.body === "returned") &&
    add(ran, "else"),
  "else-on-error": ({ entry, shape }, ran) => {
    if (shape?.else == null || shape.handlers.length === 0) return false;
    if (entry.handler !== null) return add(ran, "else");
    return entry.else && remove(ran, "else");
  },
  // The handler matched by subclass: a learner who thinks only the exact class matches expects no except.
  "except-exact-type": ({ entry, escapedUnder, truth }, ran) =>
    entry.handler !== null &&
    escapedUnder("except-exact-type") !== undefined &&
    escapedUnder("except-exact-type") !== (truth.exception?.type ?? null) &&
    remove(ran, "except"),
  "except-guards-else": ({ entry, shape, escapedUnder, truth }, ran) =>
    entry.else &&
    entry.body === "completed" &&
    entry.outcome === "propagated" &&
    (shape?.handlers.length ?? 0) > 0 &&
    escapedUnder("except-guards-else") !== undefined &&
    escapedUnder("except-guards-else") !== (truth.exception?.type ?? null) &&
    add(ran, "except"),
};

/** The clauses a learner holding `rule` expects, or null when the rule predicts no difference. */
export function clausesUnder(
  rule: string,
  input: ClauseRuleInput,
  truth: readonly Clause[],
): Clause[] | null {
  const fn = CLAUSE_RULES[rule];
  if (!fn) return null;
  const ran = new Set(truth);
  if (!fn(input, ran)) return null;
  return ORDER.filter((c) => ran.has(c));
}

const TRACEBACK_HEAD = ["Traceback (most recent call last):", "  ..."];

/**
 * "traceback-before-finally": the whole output as a learner expects it when they think the traceback is
 * printed the moment the error happens. The finally output printed while the uncaught error travelled out
 * (the last stdout pieces, from finally clauses of try statements the error propagated through) moves
 * after the traceback. Null when there is no such output.
 */
export function tracebackFirst(truth: RunResult, shape: ProgramShape): string | null {
  if (truth.status !== "exception" || !truth.exception || truth.capped || truth.truncated) return null;
  const propagated = new Set(truth.tries.filter((t) => t.outcome === "propagated").map((t) => t.line));
  const inFinally = (line: number | null) =>
    line !== null &&
    shape.tries.some(
      (t) =>
        propagated.has(t.line) &&
        t.finally !== null &&
        t.finallyEnd !== null &&
        line >= t.finally &&
        line <= t.finallyEnd,
    );
  const pieces = truth.output.filter((p) => p.stream === "stdout");
  let cut = pieces.length;
  while (cut > 0 && pieces[cut - 1]?.clause === "finally" && inFinally(pieces[cut - 1]?.line ?? null)) cut--;
  if (cut === pieces.length) return null;
  const before = pieces
    .slice(0, cut)
    .map((p) => p.text)
    .join("");
  const after = pieces
    .slice(cut)
    .map((p) => p.text)
    .join("");
  const { type, message } = truth.exception;
  const lines = [
    ...splitLines(before),
    ...TRACEBACK_HEAD,
    message ? `${type}: ${message}` : type,
    ...splitLines(after),
  ];
  return lines.join("\n");
}

function splitLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

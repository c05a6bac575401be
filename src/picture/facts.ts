// What each execution of a try or with statement did, for the picture: the clauses that ran, where the
// body raised, what was pending while `finally` ran, and how control left. The facts come from the same
// per-execution model the text explanation reads (../explain/model.ts), so the two cannot disagree; this
// adds only where on the listing each fact goes and the few words of a badge.
import { type FinallyPending, jumpOf, type TryStory, tryStory, withStory } from "../explain/index.js";
import type { ClauseKind, TryStatement } from "./program.js";
import type { TryRun, WithRun } from "./types.js";

export type OutcomeKind =
  | "completed" // no exception, went on
  | "caught" // a handler matched, went on
  | "propagated" // an exception left the statement
  | "reraised" // a handler caught it and raised the same type again
  | "replaced" // another exception (from a handler or finally) left instead of the one raised
  | "returned"
  | "overridden" // a return in finally replaced the pending return
  | "redirected" // a jump in finally replaced a pending jump of another kind
  | "swallowed" // a return/break/continue in finally (or __exit__) discarded the pending exception
  | "broke"
  | "continued";

export interface ClauseFact {
  kind: ClauseKind;
  header: number;
  ran: boolean;
}

export interface Outcome {
  /** The report's own outcome field, unchanged. */
  report: TryRun["outcome"] | WithRun["outcome"];
  kind: OutcomeKind;
  exception: string | null;
  /** Short words for the badge, e.g. "↑ ValueError propagated". */
  text: string;
}

export interface TryFacts {
  line: number;
  /** 1-based among the executions of this statement (the explanation's "3rd run"). */
  run: number;
  clauses: ClauseFact[];
  /** The body raised: the type, and the line where it was raised when the report knows it. */
  raise: { type: string; line: number | null } | null;
  /** What finally found waiting; null when no finally ran or nothing was pending (or the report cannot tell). */
  pending: Exclude<FinallyPending, { kind: "nothing" }> | null;
  outcome: Outcome;
}

export interface WithFacts {
  line: number;
  run: number;
  entered: boolean;
  body: WithRun["body"];
  /** What `__exit__` received (an exception type), null for None. */
  exitGot: string | null;
  suppressed: boolean;
  outcome: Outcome;
}

export function tryFacts(e: TryRun, statement: TryStatement, run: number): TryFacts {
  const story = tryStory(e, statement.finallyText);
  const handlers = new Set(story.handlers);
  const clauses = statement.clauses.map((c) => ({
    kind: c.kind,
    header: c.header,
    ran:
      c.kind === "try" ||
      (c.kind === "except" && handlers.has(c.header)) ||
      (c.kind === "else" && e.else) ||
      (c.kind === "finally" && e.finally),
  }));
  const raise = e.body === "raised" ? { type: e.raised ?? "exception", line: e.raisedLine ?? null } : null;
  const found = story.finally?.pending ?? null;
  const pending = found === null || found.kind === "nothing" ? null : found;
  return { line: e.line, run, clauses, raise, pending, outcome: tryOutcome(story) };
}

function tryOutcome(story: TryStory): Outcome {
  const e = story.entry;
  const base = { report: e.outcome, exception: e.exception };
  const effect = story.finally?.effect;
  switch (effect?.kind) {
    case "discarded_exception":
      return {
        ...base,
        kind: "swallowed",
        text: `${ARROW[effect.jump]} ${effect.jump} swallowed ${effect.type}`,
      };
    case "replaced_return":
      return {
        ...base,
        kind: "overridden",
        text: `↩ finally's return ${effect.returned ?? ""} replaced return ${effect.pending ?? ""}`,
      };
    case "replaced_jump":
      return {
        ...base,
        kind: "redirected",
        text: `${ARROW[effect.jump]} ${effect.jump} replaced ${effect.pending}`,
      };
    case "raised": {
      const was = effect.replaced;
      const what = was.kind === "exception" ? was.type : was.kind === "nothing" ? null : `the ${was.kind}`;
      return {
        ...base,
        kind: "replaced",
        text: what ? `↑ ${effect.type} replaced ${what}` : `↑ finally raised ${effect.type}`,
      };
    }
  }
  const exc = e.exception ?? "exception";
  switch (e.outcome) {
    case "completed":
      return { ...base, kind: "completed", text: "→ no exception, went on" };
    case "caught":
      return { ...base, kind: "caught", text: "✓ caught, went on" };
    case "propagated":
      if (story.handlers.length > 0 && !e.star)
        return e.exception === e.raised
          ? { ...base, kind: "reraised", text: `↑ caught, then ${exc} raised again` }
          : { ...base, kind: "replaced", text: `↑ ${exc} replaced ${e.raised ?? "it"}` };
      if (story.elseRaised) return { ...base, kind: "propagated", text: `↑ else raised ${exc}` };
      return { ...base, kind: "propagated", text: `↑ ${exc} propagated` };
    case "returned":
      return {
        ...base,
        kind: "returned",
        text: `↩ returned${story.returned !== null ? ` ${story.returned}` : ""}`,
      };
    case "broke":
      return { ...base, kind: "broke", text: "⇥ break: left the loop" };
    case "continued":
      return { ...base, kind: "continued", text: "↪ continue: next round" };
  }
}

const ARROW = { return: "↩", break: "⇥", continue: "↪" } as const;

export function withFacts(w: WithRun, run: number): WithFacts {
  const story = withStory(w);
  const base = { report: w.outcome, exception: w.exception };
  let outcome: Outcome;
  const jump = jumpOf(w.outcome);
  if (story.exitRaised !== null)
    outcome = { ...base, kind: "replaced", text: `↑ ${story.exitRaised} replaced ${w.raised ?? "it"}` };
  else if (story.suppressed)
    outcome = {
      ...base,
      kind: "swallowed",
      text: `✓ __exit__ suppressed ${w.raised ?? "the exception"}, went on`,
    };
  else if (w.outcome === "propagated")
    outcome = { ...base, kind: "propagated", text: `↑ ${w.exception ?? "exception"} propagated` };
  else if (jump === "return") outcome = { ...base, kind: "returned", text: "↩ returned" };
  else if (jump === "break") outcome = { ...base, kind: "broke", text: "⇥ break: left the loop" };
  else if (jump === "continue") outcome = { ...base, kind: "continued", text: "↪ continue: next round" };
  else outcome = { ...base, kind: "completed", text: "→ went on" };
  return {
    line: w.line,
    run,
    entered: story.entered,
    body: w.body,
    exitGot: story.exit?.received ?? null,
    suppressed: story.suppressed,
    outcome,
  };
}

/** Badge words for what was pending while finally ran. */
export function pendingText(p: Exclude<FinallyPending, { kind: "nothing" }>): string {
  switch (p.kind) {
    case "exception":
      return `pending: ${p.type}`;
    case "return":
      return p.value != null ? `pending: return ${p.value}` : "pending: return";
    default:
      return `pending: ${p.kind}`;
  }
}

// What each execution of a try or with statement did, read from the clause report alone: the clauses
// that ran, where the body raised, what was pending while `finally` ran, and how control left. The
// picture draws these facts and nothing else, so it says what the text explanation says.
import type { ClauseKind, TryStatement } from "./program.js";
import type { PendingAtFinally, TryRun, WithRun } from "./types.js";

export type OutcomeKind =
  | "completed" // no exception, went on
  | "caught" // a handler matched, went on
  | "propagated" // an exception left the statement
  | "reraised" // a handler caught it and raised the same type again
  | "replaced" // another exception (from a handler or finally) left instead of the one raised
  | "returned"
  | "overridden" // a return in finally replaced the pending return
  | "swallowed" // a return/break/continue in finally discarded the pending exception
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
  pending: PendingAtFinally | null;
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

const JUMP: Record<string, "return" | "break" | "continue"> = {
  returned: "return",
  broke: "break",
  continued: "continue",
};

/** What was pending at finally: the report's own field when it has one, else what the entry tells for sure. */
export function pendingOf(e: TryRun): PendingAtFinally | null {
  if (!e.finally) return null;
  if (e.pending !== undefined) return e.pending;
  if (e.handler === null && e.body === "raised") return { kind: "exception", type: e.raised ?? "exception" };
  const jump = JUMP[e.body];
  if (e.handler === null && jump) return jump === "return" ? { kind: "return", value: null } : { kind: jump };
  return null;
}

export function tryFacts(e: TryRun, statement: TryStatement, run: number): TryFacts {
  const handlers = new Set(
    e.handlers && e.handlers.length > 0 ? e.handlers : e.handler !== null ? [e.handler] : [],
  );
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
  const pending = pendingOf(e);
  return { line: e.line, run, clauses, raise, pending, outcome: tryOutcome(e, pending) };
}

function tryOutcome(e: TryRun, pending: PendingAtFinally | null): Outcome {
  const base = { report: e.outcome, exception: e.exception };
  const exc = e.exception ?? "exception";
  switch (e.outcome) {
    case "completed":
      return { ...base, kind: "completed", text: "→ no exception, went on" };
    case "caught":
      return { ...base, kind: "caught", text: "✓ caught, went on" };
    case "propagated": {
      if (e.handler !== null && !e.star) {
        if (e.exception === e.raised)
          return { ...base, kind: "reraised", text: `↑ caught, then ${exc} raised again` };
        return { ...base, kind: "replaced", text: `↑ ${exc} replaced ${e.raised ?? "it"}` };
      }
      if (pending?.kind === "exception" && e.exception !== null && e.exception !== pending.type)
        return { ...base, kind: "replaced", text: `↑ ${exc} replaced ${pending.type}` };
      return { ...base, kind: "propagated", text: `↑ ${exc} propagated` };
    }
    default: {
      const word = JUMP[e.outcome] as "return" | "break" | "continue";
      if (pending?.kind === "exception")
        return { ...base, kind: "swallowed", text: `${ARROW[word]} ${word} swallowed ${pending.type}` };
      if (
        word === "return" &&
        pending?.kind === "return" &&
        pending.value != null &&
        e.returnValue != null &&
        pending.value !== e.returnValue
      )
        return {
          ...base,
          kind: "overridden",
          text: `↩ finally's return ${e.returnValue} replaced return ${pending.value}`,
        };
      if (word === "return") {
        const value = e.returnValue != null ? ` ${e.returnValue}` : "";
        return { ...base, kind: "returned", text: `↩ returned${value}` };
      }
      return word === "break"
        ? { ...base, kind: "broke", text: "⇥ break: left the loop" }
        : { ...base, kind: "continued", text: "↪ continue: next round" };
    }
  }
}

const ARROW = { return: "↩", break: "⇥", continue: "↪" } as const;

export function withFacts(w: WithRun, run: number): WithFacts {
  const base = { report: w.outcome, exception: w.exception };
  let outcome: Outcome;
  switch (w.outcome) {
    case "completed":
      outcome = w.suppressed
        ? {
            ...base,
            kind: "swallowed",
            text: `✓ __exit__ suppressed ${w.raised ?? "the exception"}, went on`,
          }
        : { ...base, kind: "completed", text: "→ went on" };
      break;
    case "propagated":
      outcome =
        w.raised !== null && w.exception !== null && w.exception !== w.raised
          ? { ...base, kind: "replaced", text: `↑ ${w.exception} replaced ${w.raised}` }
          : { ...base, kind: "propagated", text: `↑ ${w.exception ?? "exception"} propagated` };
      break;
    case "returned":
      outcome = { ...base, kind: "returned", text: "↩ returned" };
      break;
    case "broke":
      outcome = { ...base, kind: "broke", text: "⇥ break: left the loop" };
      break;
    case "continued":
      outcome = { ...base, kind: "continued", text: "↪ continue: next round" };
      break;
  }
  return {
    line: w.line,
    run,
    entered: w.body !== "not_entered",
    body: w.body,
    exitGot: w.raised,
    suppressed: w.suppressed,
    outcome,
  };
}

/** Badge words for what was pending while finally ran. */
export function pendingText(p: PendingAtFinally): string {
  switch (p.kind) {
    case "exception":
      return `pending: ${p.type}`;
    case "return":
      return p.value != null ? `pending: return ${p.value}` : "pending: return";
    default:
      return `pending: ${p.kind}`;
  }
}

// What happened in one execution of a try or a with statement, as facts read from the clause report (and,
// for what the report cannot tell, the statement's own text). No wording here: the text explanation and the
// picture both draw from these, so they cannot disagree.
import type { TryEntry, WithEntry } from "../sandbox/types.js";

export type { PendingExit, WithEntry } from "../sandbox/types.js";

export type Jump = "return" | "break" | "continue";

const JUMP_OF: Record<string, Jump> = { returned: "return", broke: "break", continued: "continue" };

/** The jump statement a body/outcome word stands for ("returned" -> "return"), or null. */
export function jumpOf(word: string): Jump | null {
  return JUMP_OF[word] ?? null;
}

/** Where what `finally` found pending came from. */
export type PendingSource = "body" | "except" | "else";

/** What was waiting when `finally` started. */
export type FinallyPending =
  | { kind: "nothing" }
  | { kind: "exception"; type: string; from: PendingSource }
  | { kind: "return"; value: string | null; from: PendingSource }
  | { kind: "break" | "continue"; from: PendingSource };

/**
 * What `finally` did with what was pending, as the tutorial's "Defining Clean-up Actions" tells it:
 * - `went_ahead`: it ran to its end, then the pending exception was re-raised / the pending jump happened
 *   (or, nothing pending, control went on);
 * - `replaced_return`: a `return` in finally replaced a pending `return` (the caller gets finally's value);
 * - `replaced_jump`: a jump in finally replaced a pending jump of another kind (a `return` for a `break`...);
 * - `discarded_exception`: a `return`/`break`/`continue` in finally discarded the pending exception;
 * - `raised`: finally raised an exception of its own, replacing whatever was pending;
 * - `jumped`: nothing was pending and finally itself executed a jump;
 * - `unknown`: the report cannot tell (an older report without `pending`).
 */
export type FinallyEffect =
  | { kind: "went_ahead" }
  | { kind: "replaced_return"; pending: string | null; returned: string | null }
  | { kind: "replaced_jump"; pending: Jump; jump: Jump }
  | { kind: "discarded_exception"; type: string; jump: Jump }
  | { kind: "raised"; type: string; replaced: FinallyPending }
  | { kind: "jumped"; jump: Jump }
  | { kind: "unknown" };

export interface TryStory {
  entry: TryEntry;
  /** The except clauses that ran (lines), lowest first. */
  handlers: number[];
  /** Null when no finally ran; undefined-free: "unknown" pending is reported as null `pending` with effect unknown. */
  finally: { pending: FinallyPending | null; effect: FinallyEffect } | null;
  /** The value the caller got, when the statement returned and the report knows it. */
  returned: string | null;
  /** The else clause raised (body completed, else ran, the statement propagated). */
  elseRaised: boolean;
}

/** What the statement's own text says its finally block can do (from the source, for what the report cannot tell). */
export interface FinallyText {
  /** Jump statements written directly in the finally block (not in a nested function or loop for break/continue). */
  jumps: ReadonlySet<Jump>;
}

/** The facts of one try execution. `text` lets it tell a finally's own `return` of an equal value apart. */
export function tryStory(entry: TryEntry, text?: FinallyText): TryStory {
  const handlers = entry.handler === null ? [] : (entry.handlers ?? [entry.handler]);
  const elseRaised = entry.else && entry.body === "completed" && entry.outcome === "propagated";
  const returned = entry.outcome === "returned" ? (entry.returnValue ?? null) : null;
  if (!entry.finally) return { entry, handlers, finally: null, returned, elseRaised };
  // A try* whose handlers took part of a group leaves the rest pending from the body, not from a handler.
  const pending = pendingAtFinally(entry, handlers.length > 0 && entry.star !== true);
  return {
    entry,
    handlers,
    finally: { pending, effect: finallyEffect(entry, pending, text) },
    returned,
    elseRaised,
  };
}

/** What finally found waiting: from the report's `pending` when it has one, else only what is certain. */
function pendingAtFinally(e: TryEntry, caught: boolean): FinallyPending | null {
  const from: PendingSource = caught ? "except" : e.else ? "else" : "body";
  if (e.pending !== undefined) {
    const p = e.pending;
    if (p === null) return { kind: "nothing" };
    if (p.kind === "exception") {
      // The body's own exception, unless a handler caught it (then the handler raised) or else ran.
      return { kind: "exception", type: p.type, from: !caught && e.body === "raised" ? "body" : from };
    }
    const source: PendingSource = !caught && jumpOf(e.body) === p.kind ? "body" : from;
    if (p.kind === "return") return { kind: "return", value: p.value, from: source };
    return { kind: p.kind, from: source };
  }
  // An older report: only the cases the other fields settle.
  if (e.outcome === "caught" || (e.outcome === "completed" && e.body === "completed"))
    return { kind: "nothing" };
  if (!caught && e.body === "raised")
    return { kind: "exception", type: e.raised ?? "an exception", from: "body" };
  const jump = caught ? null : jumpOf(e.body);
  if (jump === "return") return { kind: "return", value: null, from: "body" };
  if (jump !== null) return { kind: jump, from: "body" };
  return null;
}

function finallyEffect(e: TryEntry, pending: FinallyPending | null, text?: FinallyText): FinallyEffect {
  if (pending === null) return { kind: "unknown" };
  const out = jumpOf(e.outcome);
  if (e.outcome === "propagated") {
    const type = e.exception ?? "an exception";
    if (pending.kind === "exception" && pending.type === type) return { kind: "went_ahead" };
    return { kind: "raised", type, replaced: pending };
  }
  if (pending.kind === "exception")
    return out ? { kind: "discarded_exception", type: pending.type, jump: out } : { kind: "unknown" };
  if (pending.kind === "nothing") return out ? { kind: "jumped", jump: out } : { kind: "went_ahead" };
  if (out === null) return { kind: "unknown" }; // a pending jump ends in a jump or an exception
  if (pending.kind !== out) return { kind: "replaced_jump", pending: pending.kind, jump: out };
  if (pending.kind === "return") {
    const returned = e.returnValue ?? null;
    if (pending.value !== null && returned !== null && pending.value !== returned)
      return { kind: "replaced_return", pending: pending.value, returned };
    // Same value, or values the report could not show: only a return written in finally could have replaced it.
    if (text?.jumps.has("return")) return { kind: "unknown" };
  }
  return { kind: "went_ahead" };
}

/** The facts of one with execution. */
export interface WithStory {
  entry: WithEntry;
  /** `__enter__` ran and returned, so the block started. */
  entered: boolean;
  /** Whether `__exit__` was called, and with which exception (null: with `None`). */
  exit: { received: string | null } | null;
  /** How the block was left, when it ran. */
  block: "completed" | "raised" | Jump | null;
  /** `__exit__` swallowed the block's exception (it returned a true value). */
  suppressed: boolean;
  /** `__exit__` (or the block's own unwinding) raised something other than what it received. */
  exitRaised: string | null;
}

export function withStory(entry: WithEntry): WithStory {
  const entered = entry.body !== "not_entered";
  const block = !entered
    ? null
    : entry.body === "completed" || entry.body === "raised"
      ? entry.body
      : jumpOf(entry.body);
  const exitRaised =
    entered && entry.outcome === "propagated" && entry.exception !== null && entry.exception !== entry.raised
      ? entry.exception
      : null;
  return {
    entry,
    entered,
    exit: entered ? { received: entry.raised } : null,
    block,
    suppressed: entry.suppressed,
    exitRaised,
  };
}

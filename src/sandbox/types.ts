// The contract of one sandboxed run, shared by the driver, the explainer, the quiz engine and every front end.
// `npx tutor run --json` prints a RunResult as-is; keep field names stable.

export type RunStatus =
  | "ok" // exit code 0, including sys.exit(0) and sys.exit(None)
  | "exception" // an uncaught exception other than SystemExit
  | "exit" // SystemExit with a non-zero code
  | "timeout" // the wall clock or the CPU limit ran out
  | "memory" // the memory limit was hit
  | "output_limit" // the program wrote more than the output cap
  | "process_limit" // the process/thread limit was hit
  | "crashed" // killed by a signal (a segfault, ...)
  | "refused"; // not run at all (isolation not available, queue full, bad input)

export type BodyExit = "completed" | "raised" | "returned" | "broke" | "continued";
export type TryOutcome = "completed" | "caught" | "propagated" | "returned" | "broke" | "continued";
export type Clause = "try" | "except" | "else" | "finally";

/** One execution of a try statement (see ../shared/clause-report/RULES.md). */
export interface TryEntry {
  line: number;
  body: BodyExit;
  raised: string | null;
  handler: number | null;
  else: boolean;
  finally: boolean;
  outcome: TryOutcome;
  exception: string | null;
  /** All except* clauses that ran, lowest line first (only for try*; `handler` is the first). */
  handlers?: number[];
  /** True for try* statements. */
  star?: boolean;
  /** When body is "raised": the program line the exception was raised at (its innermost traceback entry in
   * the program's own file: a call to a library that raised gives the calling line). */
  raisedLine?: number | null;
  /** What was pending when `finally` started (null: nothing, or no finally ran). */
  pending?: PendingExit | null;
  /** When outcome is "returned": the value the statement's `return` handed back, as a short repr
   * (null when it is not plain data or longer than 60 characters). */
  returnValue?: string | null;
}

/** A jump or exception waiting for `finally` to end. `value`: the return value's short repr (≤ 60 characters), else null. */
export type PendingExit =
  | { kind: "return"; value: string | null }
  | { kind: "break" }
  | { kind: "continue" }
  | { kind: "exception"; type: string };

export type WithBody = "completed" | "raised" | "returned" | "broke" | "continued" | "not_entered";
export type WithOutcome = "completed" | "propagated" | "returned" | "broke" | "continued";

/** One execution of a `with`/`async with` statement of the program's own source (a with is not a try: it has no
 * TryEntry, and output keeps the clause of the try around it). Ordered by start, like `tries`. */
export interface WithEntry {
  /** The line of the `with` keyword. */
  line: number;
  /** How the block was left; "not_entered": an `__enter__` (or the context expression) raised. */
  body: WithBody;
  /** The type name of the exception the block passed to `__exit__` (null when it passed none). */
  raised: string | null;
  /** True when `__exit__` returned true and so swallowed that exception. */
  suppressed: boolean;
  /** How control left the whole statement. */
  outcome: WithOutcome;
  /** The type name of the exception that left the statement; non-null iff outcome is "propagated". */
  exception: string | null;
}

/** One write() of the program, tied to the clause that was active when it happened. */
export interface OutputPiece {
  text: string;
  stream: "stdout" | "stderr";
  line: number | null;
  clause: Clause | null;
}

export interface UncaughtException {
  type: string;
  message: string;
  line: number | null;
}

export interface RunResult {
  status: RunStatus;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** True when stdout/stderr were cut to the shown-output cap. */
  truncated: boolean;
  durationMs: number;
  exception: UncaughtException | null;
  tries: TryEntry[];
  /** Every with statement execution (absent from runs made before with statements were reported). */
  withs?: WithEntry[];
  output: OutputPiece[];
  explanation: string;
  /** Why the run was refused or stopped, in words a member understands (null when it simply ran). */
  reason?: string | null;
  /** True when the clause trace hit its cap (entries, output pieces or text), so `tries`/`output` are partial. */
  capped?: boolean;
  /** True when the program got no stdin and so input() raised EOFError. */
  stdinEmpty?: boolean;
}

export interface RunRequest {
  code: string;
  /** Text given to the program's stdin; without it input() raises EOFError. */
  stdin?: string;
  /** Who asked: one run in flight per owner, the rest queued. */
  ownerId?: string;
  /** Trace clauses (default true). The bench turns it off to measure the tracer's cost. */
  trace?: boolean;
  /** Told the queue position whenever it changes while waiting (0 = running now). */
  onQueue?: (position: number) => void;
}

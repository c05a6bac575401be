// The contract of one sandboxed run, shared by the driver, the explainer, the quiz engine and every front end,
// with the facts every front end derives from a run (next to RunResult, so each has one home).
// `npx tutor run --json` prints a RunResult (plus its explanation, src/runs) as-is; keep field names stable.
import type { SandboxLimits } from "./limits.js";

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

/** One execution of a try statement (defined in ../shared/clause-report/RULES.md, beside the repository). */
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
  /** Why the run was refused or stopped, in words a member understands (null when it simply ran). */
  reason?: string | null;
  /** True when the clause trace hit its cap (entries, output pieces or text), so `tries`/`output` are partial. */
  capped?: boolean;
  /** True when the program got no stdin and so input() raised EOFError. */
  stdinEmpty?: boolean;
}

export interface RunRequest {
  /** The program: text (the /run modal, a message's code block, a lesson), which reaches Python as UTF-8,
   *  or a file's own bytes (`tutor run FILE`, a .py attachment), which Python decodes as it reads main.py
   *  (PEP 263: a coding declaration or a BOM, UTF-8 otherwise). */
  code: string | Uint8Array;
  /** Text given to the program's stdin; without it input() raises EOFError. */
  stdin?: string;
  /** Who asked: one run in flight per owner, the rest queued. */
  ownerId?: string;
  /** Trace clauses (default true). The bench turns it off to measure the tracer's cost. */
  trace?: boolean;
  /** Told the queue position whenever it changes while waiting (0 = running now). */
  onQueue?: (position: number) => void;
  /** Told once when the run waits for the sandbox's first self-check (the bot has just started). */
  onStartingUp?: () => void;
}

/** The sandbox: runs a member's Python with real isolation, or refuses and says why (src/sandbox/index.ts).
 *  R is what a run gives: the RunResult here, an explained one above (src/runs). */
export interface Sandbox<R extends RunResult = RunResult> {
  /** Runs one request (queued per owner and globally). Never throws for the member's code; refusals are results. */
  run(request: RunRequest): Promise<R>;
  /** Probes every protection live with canary programs and names the tier. When the probes deny public
   *  runs, every later run() is refused with the reason, until a later doctor() allows them again. An
   *  inconclusive report (a machine too busy to observe) keeps the last proven verdict, or refuses runs
   *  when none was proven yet. */
  doctor(options?: DoctorOptions): Promise<DoctorReport>;
  /** What this machine can give, checked once without running member code. */
  availability(): Promise<Availability>;
  readonly limits: SandboxLimits;
  close(): Promise<void>;
}

export interface Availability {
  ok: boolean;
  /** Per-run cgroups (tier A); without them one run at a time (tier B). */
  cgroups: boolean;
  /** When not ok: what is missing and what to install, in one line. */
  reason: string | null;
}

/** A: everything holds; B: no per-run cgroup; C/D: isolation incomplete (see doctor.ts). */
export type Tier = "A" | "B" | "C" | "D";

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  /** The probe could not observe in time, even with the longer window: neither passed nor failed. */
  inconclusive?: boolean;
}

export interface DoctorReport {
  tier: Tier;
  publicRuns: boolean;
  checks: DoctorCheck[];
  /** Checks that stayed inconclusive (a busy machine), by name. Non-empty: this report proves nothing;
   *  the sandbox keeps the last proven verdict, or refuses runs until one is proven. */
  inconclusive: string[];
  /** True when `tier` and `publicRuns` are an earlier proven verdict, kept because this one was inconclusive. */
  keptEarlier?: boolean;
}

export interface DoctorOptions {
  /** The probe sandbox's wall limit (ms); an inconclusive probe is tried again with 4x as long. */
  probeWallMs?: number;
}

/** The program as text, for people and the explainer: a file's bytes decoded by their PEP 263 declaration
 *  (UTF-8 by default; bytes that do not decode become U+FFFD). Python itself gets the bytes. */
export function codeText(code: string | Uint8Array): string {
  if (typeof code === "string") return code;
  const declared = declaredEncoding(code);
  try {
    if (declared) return new TextDecoder(declared).decode(code);
  } catch {
    // An encoding TextDecoder does not know: shown as UTF-8 (Python says what it thinks of it when run).
  }
  return new TextDecoder("utf-8").decode(code);
}

/** The encoding named by a coding declaration in the first two lines (the second only after a comment or
 *  blank first line), as PEP 263 places it; null when there is none. */
function declaredEncoding(code: Uint8Array): string | null {
  const [first = "", second = ""] = Buffer.from(code.subarray(0, 1024)).toString("latin1").split("\n", 2);
  const cookie = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
  const name =
    cookie.exec(first)?.[1] ?? (/^[ \t\f]*(#.*)?\r?$/.test(first) ? cookie.exec(second)?.[1] : undefined);
  if (!name) return null;
  // Python's names TextDecoder does not take as they are.
  return /^(latin[-_]1|iso[-_]latin[-_]1|l1)$/i.test(name) ? "iso-8859-1" : name.replaceAll("_", "-");
}

/** An empty string is no stdin either: input() raises EOFError all the same. */
export function hasStdin(request: Pick<RunRequest, "stdin">): boolean {
  return request.stdin !== undefined && request.stdin !== "";
}

/** The program called input() with no stdin given, so it got EOFError (caught or not). Every front end's
 *  "give it some input" hint asks this, and only this. */
export function inputWasMissing(run: RunResult): boolean {
  if (run.stdinEmpty !== true) return false;
  return run.exception?.type === "EOFError" || run.tries.some((t) => t.raised === "EOFError");
}

/** The output as the member would have seen it in a terminal: stdout and stderr in write order. */
export function combinedOutput(run: RunResult): string {
  if (run.output.length > 0) return run.output.map((p) => p.text).join("");
  return run.stdout + run.stderr;
}

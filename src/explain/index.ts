// The learner-facing explanation of a run: which try/except/else/finally clauses ran, and why.
// Markdown sized for Discord: a few bullets per try statement, repeated executions grouped,
// long traces summarised. The facts come from the tracer's report (RunResult.tries/output).
import { inputWasMissing, type RunResult, type TryEntry } from "../sandbox/types.js";
import { describeEntry, outcomeLabel } from "./describe.js";
import { tryShape } from "./source.js";

export type { ClauseLine } from "./output.js";
export { clauseLines, renderClauseOutput } from "./output.js";

/** The tracer records at most this many try executions (sandbox/tracer.py MAX_TRIES). */
export const TRACE_CAP = 5000;
/** Try statements explained in detail; the rest get one summary line. */
const DETAILED_STATEMENTS = 4;
/** Distinct kinds of execution described for one repeated try statement. */
const DETAILED_KINDS = 3;
/** Hard ceiling so the explanation plus some output fits one Discord message. */
const MAX_CHARS = 1500;

const SYNTAX_ERRORS = new Set(["SyntaxError", "IndentationError", "TabError"]);

const STOPPED: Partial<Record<RunResult["status"], string>> = {
  timeout: "it ran out of time",
  memory: "it used too much memory",
  output_limit: "it printed too much",
  process_limit: "it started too many processes or threads",
  crashed: "Python crashed",
};

/** Markdown for a learner: which try/except/else/finally clauses ran, and why. */
export function explainRun(run: RunResult, source: string): string {
  if (run.status === "refused") return run.reason ?? "The code was not run.";
  const parts: string[] = [];
  const stopped = STOPPED[run.status];
  if (stopped && run.tries.length === 0) {
    parts.push(
      `**Run stopped:** ${run.reason ?? stopped}. A stopped run sends no clause report, so there is nothing to explain about its try statements.`,
    );
    return parts.join("\n");
  }

  if (run.tries.length === 0) {
    parts.push(
      run.exception && SYNTAX_ERRORS.has(run.exception.type)
        ? `The program did not start: Python could not read it (\`${run.exception.type}\`), so no clause ran.`
        : "No `try` statement ran, so there are no clauses to explain.",
    );
    if (/^\s*(async\s+)?with\s/m.test(source))
      parts.push(
        "A `with` statement is not a try statement: its `__exit__` runs whether or not the block raised, like a `finally` you don't write.",
      );
  } else {
    parts.push(...explainTries(run.tries, source));
  }

  const capped = run.capped === true || run.tries.length >= TRACE_CAP;
  if (capped)
    parts.push(
      `_Tracing stopped after ${run.tries.length} try executions (the cap); the program itself ran on to the end. Counts above cover the traced part only._`,
    );
  if (inputWasMissing(run))
    parts.push(
      "_`input()` raised `EOFError` because the program got no input text. Give input with the run to answer `input()`._",
    );
  parts.push(resultLine(run, stopped));
  return fitLength(parts.join("\n"));
}

function resultLine(run: RunResult, stopped: string | undefined): string {
  if (stopped) return `**Result:** the run was stopped: ${run.reason ?? stopped}.`;
  if (run.exception) {
    const where = run.exception.line !== null ? ` at line ${run.exception.line}` : "";
    const msg = run.exception.message ? `: ${oneLine(run.exception.message)}` : "";
    return `**Result:** the program stopped with an uncaught \`${run.exception.type}\`${where}${msg}`;
  }
  if (run.status === "exit")
    return `**Result:** the program ended itself with \`sys.exit\`, exit code ${run.exitCode}.`;
  return "**Result:** the program finished normally.";
}

/** One section per try statement (by its line), in the order they first started. */
function explainTries(tries: TryEntry[], source: string): string[] {
  const groups = new Map<number, TryEntry[]>();
  for (const t of tries) {
    const g = groups.get(t.line);
    if (g) g.push(t);
    else groups.set(t.line, [t]);
  }
  const out: string[] = [];
  const seen = new Set<string>(); // each surprise is told once
  const all = [...groups.entries()];
  for (const [line, entries] of all.slice(0, DETAILED_STATEMENTS)) {
    const shape = tryShape(source, line);
    const title = `**\`try\` at line ${line}**${shape.inFunction ? ` in \`${shape.inFunction}()\`` : ""}`;
    if (entries.length === 1) {
      out.push(title);
      for (const b of describeEntry(entries[0] as TryEntry, shape, seen)) out.push(`- ${b}`);
      continue;
    }
    out.push(`${title} ran ${entries.length} times: ${summarise(entries)}`);
    const kinds = distinctKinds(entries);
    for (const { entry, runs } of kinds.slice(0, DETAILED_KINDS)) {
      out.push(`- ${runsLabel(runs, entries.length)}: ${describeEntry(entry, shape, seen).join("; ")}`);
    }
    if (kinds.length > DETAILED_KINDS)
      out.push(`- ...and ${kinds.length - DETAILED_KINDS} other kinds of run`);
  }
  const rest = all.slice(DETAILED_STATEMENTS);
  if (rest.length > 0) {
    const lines = rest.map(([line, entries]) => `line ${line} (${summarise(entries)})`);
    out.push(`**${rest.length} more try statement${rest.length === 1 ? "" : "s"}:** ${lines.join("; ")}`);
  }
  return out;
}

/** "4 completed, `ValueError` caught on the 3rd" */
function summarise(entries: TryEntry[]): string {
  const byLabel = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const label = outcomeLabel(e);
    const at = byLabel.get(label);
    if (at) at.push(i + 1);
    else byLabel.set(label, [i + 1]);
  });
  if (entries.length === 1) return [...byLabel.keys()][0] as string;
  if (byLabel.size === 1) return `all ${entries.length} ${[...byLabel.keys()][0]}`;
  return [...byLabel.entries()]
    .map(([label, at]) =>
      at.length === 1 || (at.length === 2 && at.length < entries.length / 2)
        ? `${label} on the ${at.map(ordinal).join(" and ")}`
        : `${at.length} ${label}`,
    )
    .join(", ");
}

/** Executions that read the same (same fields), with the run numbers where each happened. */
function distinctKinds(entries: TryEntry[]): { entry: TryEntry; runs: number[] }[] {
  const kinds = new Map<string, { entry: TryEntry; runs: number[] }>();
  entries.forEach((e, i) => {
    const key = JSON.stringify(e);
    const k = kinds.get(key);
    if (k) k.runs.push(i + 1);
    else kinds.set(key, { entry: e, runs: [i + 1] });
  });
  return [...kinds.values()];
}

function runsLabel(runs: number[], total: number): string {
  if (runs.length === 1) return `${ordinal(runs[0] as number)} run`;
  if (runs.length === total) return "every run";
  if (runs.length <= 4) return `runs ${runs.join(", ")}`;
  return `${runs.length} runs`;
}

export function ordinal(n: number): string {
  const rem100 = n % 100;
  const suffix =
    rem100 >= 11 && rem100 <= 13
      ? "th"
      : n % 10 === 1
        ? "st"
        : n % 10 === 2
          ? "nd"
          : n % 10 === 3
            ? "rd"
            : "th";
  return `${n}${suffix}`;
}

function oneLine(s: string): string {
  const first = s.split("\n")[0] ?? "";
  return first.length > 120 ? `${first.slice(0, 117)}...` : first;
}

/** Cuts at a line boundary under the ceiling, saying so. */
function fitLength(text: string): string {
  if (text.length <= MAX_CHARS) return text;
  const lines = text.split("\n");
  const last = lines.pop() as string; // keep the result line
  const kept: string[] = [];
  let size = last.length + 40;
  for (const l of lines) {
    if (size + l.length + 1 > MAX_CHARS) break;
    kept.push(l);
    size += l.length + 1;
  }
  kept.push("_...(explanation shortened)_", last);
  return kept.join("\n");
}

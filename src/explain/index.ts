// The learner-facing explanation of a run: which try/except/else/finally clauses ran, what each with
// statement's __exit__ got, and why. Markdown: one block of a few bullets per statement, repeated executions
// grouped, long traces summarised. The facts come from the tracer's report (RunResult.tries/withs) through
// ./model.ts, which the picture reads too.
import { inputWasMissing, type RunResult, type TryEntry, type WithEntry } from "../sandbox/types.js";
import { describeEntry, outcomeLabel } from "./describe.js";
import { describeWith, withLabel } from "./describeWith.js";
import { tryShape, withShape } from "./source.js";

// The facts of each try/with execution, for any rendering of the report (the text here, the picture).
export {
  type FinallyEffect,
  type FinallyPending,
  jumpOf,
  type TryStory,
  tryStory,
  type WithStory,
  withStory,
} from "./model.js";
export type { ClauseLine } from "./output.js";
export { clauseLines, renderClauseOutput } from "./output.js";

/** The tracer records at most this many try executions (sandbox/tracer.py MAX_TRIES). */
export const TRACE_CAP = 5000;
/** Statements explained in detail, each in its own block; the rest get one summary block. */
const DETAILED_STATEMENTS = 6;
/** Distinct kinds of execution described for one repeated try statement. */
const DETAILED_KINDS = 3;
/** Statements named (with their outcomes) in the summary block. */
const SUMMARY_NAMED = 12;
/**
 * Ceiling of the whole explanation, so every front end can show all of it in one piece (a Discord embed's
 * description holds 4,096 characters). Reached by summarising whole statements, never by cutting text.
 */
export const EXPLANATION_MAX_CHARS = 4000;
/** Blocks of the explanation are separated by a blank line (one block per statement). */
export const BLOCK_SEPARATOR = "\n\n";

const SYNTAX_ERRORS = new Set(["SyntaxError", "IndentationError", "TabError"]);

const STOPPED: Partial<Record<RunResult["status"], string>> = {
  timeout: "it ran out of time",
  memory: "it used too much memory",
  output_limit: "it printed too much",
  process_limit: "it started too many processes or threads",
  crashed: "Python crashed",
};

/** Markdown for a learner: which try/except/else/finally clauses ran, and why. Blocks separated by a blank line. */
export function explainRun(run: RunResult, source: string, maxChars = EXPLANATION_MAX_CHARS): string {
  return explainBlocks(run, source, maxChars).join(BLOCK_SEPARATOR);
}

/**
 * The explanation as blocks: an opening note when no try ran, one block per try or with statement (in the
 * order they stand in the program), a summary of the statements past the detailed ones, notes, and the result. At most
 * `maxChars` in all (joined by BLOCK_SEPARATOR): statements past what fits move into the summary block.
 */
export function explainBlocks(run: RunResult, source: string, maxChars = EXPLANATION_MAX_CHARS): string[] {
  if (run.status === "refused") return [run.reason ?? "The code was not run."];
  const stopped = STOPPED[run.status];
  if (stopped && run.tries.length === 0)
    return [
      `**Run stopped:** ${run.reason ?? stopped}. A stopped run sends no clause report, so there is nothing to explain about its try statements.`,
    ];

  const withs = run.withs ?? [];
  const head: string[] = [];
  const tail: string[] = [];
  if (run.tries.length === 0 && withs.length === 0) {
    head.push(
      run.exception && SYNTAX_ERRORS.has(run.exception.type)
        ? `The program did not start: Python could not read it (\`${run.exception.type}\`), so no clause ran.`
        : "No `try` statement ran, so there are no clauses to explain.",
    );
    if (/^\s*(async\s+)?with\s/m.test(source))
      head.push(
        "A `with` statement is not a try statement: its `__exit__` runs whether or not the block raised, like a `finally` you don't write.",
      );
  }
  const capped = run.capped === true || run.tries.length >= TRACE_CAP;
  if (capped)
    tail.push(
      `_Tracing stopped after ${run.tries.length} try executions (the cap); the program itself ran on to the end. Counts above cover the traced part only._`,
    );
  if (inputWasMissing(run))
    tail.push(
      "_`input()` raised `EOFError` because the program got no input text. Give input with the run to answer `input()`._",
    );
  tail.push(resultLine(run, stopped));

  const statements = statementBlocks(run.tries, withs, source);
  const fixed = [...head, ...tail].reduce((n, b) => n + b.length + BLOCK_SEPARATOR.length, 0);
  // As many statements in detail as fit; the others are named in one summary block.
  for (let detailed = Math.min(DETAILED_STATEMENTS, statements.length); detailed >= 0; detailed--) {
    const blocks = [...statements.slice(0, detailed).map((s) => s.detail)];
    const rest = statements.slice(detailed);
    if (rest.length > 0) blocks.push(summaryBlock(rest));
    const size = blocks.reduce((n, b) => n + b.length + BLOCK_SEPARATOR.length, fixed);
    if (size <= maxChars || detailed === 0) return fitBlocks([...head, ...blocks, ...tail], maxChars);
  }
  return fitBlocks([...head, ...tail], maxChars);
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

interface StatementBlock {
  line: number;
  /** "`try` at line 3 (all 4 completed)", for the summary block. */
  summary: string;
  /** The block that explains it in full. */
  detail: string;
}

/** Executions of one statement, grouped by its line (first-seen order kept within the group). */
function byLine<T extends { line: number }>(entries: T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const t of entries) {
    const g = groups.get(t.line);
    if (g) g.push(t);
    else groups.set(t.line, [t]);
  }
  return groups;
}

/** One block per try or with statement, in source order (a with and the try around it read top-down). */
function statementBlocks(tries: TryEntry[], withs: WithEntry[], source: string): StatementBlock[] {
  const seen = new Set<string>(); // each surprise is told once, in the first block (top-down) that shows it
  const groups = [
    ...[...byLine(tries)].map(([line, entries]) => ({ line, make: () => tryBlock(line, entries) })),
    ...[...byLine(withs)].map(([line, entries]) => ({ line, make: () => withBlock(line, entries) })),
  ];
  const tryBlock = (line: number, entries: TryEntry[]) => {
    const shape = tryShape(source, line);
    const title = `**\`try\` at line ${line}**${inFunction(shape.inFunction)}`;
    const describe = (e: TryEntry) => describeEntry(e, shape, seen);
    return groupBlock(line, "`try`", title, entries, describe, outcomeLabel);
  };
  const withBlock = (line: number, entries: WithEntry[]) => {
    const shape = withShape(source, line);
    const title = `**\`${shape.text.replaceAll("`", "'")}\` at line ${line}**${inFunction(shape.inFunction)}`;
    return groupBlock(line, "`with`", title, entries, describeWith, withLabel);
  };
  return groups.sort((a, b) => a.line - b.line).map((g) => g.make());
}

const inFunction = (name: string | null): string => (name ? ` in \`${name}()\`` : "");

/** The block of one statement: its bullets, or for a repeated one the distinct kinds of execution. */
function groupBlock<T>(
  line: number,
  keyword: string,
  title: string,
  entries: T[],
  describe: (e: T) => string[],
  label: (e: T) => string,
): StatementBlock {
  const summary = `${keyword} at line ${line} (${summarise(entries, label)})`;
  if (entries.length === 1) {
    const bullets = describe(entries[0] as T).map((b) => `- ${b}`);
    return { line, summary, detail: [title, ...bullets].join("\n") };
  }
  const out = [`${title} ran ${entries.length} times: ${summarise(entries, label)}`];
  const kinds = distinctKinds(entries);
  for (const { entry, runs } of kinds.slice(0, DETAILED_KINDS))
    out.push(`- ${runsLabel(runs, entries.length)}: ${describe(entry).join("; ")}`);
  if (kinds.length > DETAILED_KINDS) out.push(`- ...and ${kinds.length - DETAILED_KINDS} other kinds of run`);
  return { line, summary, detail: out.join("\n") };
}

/** Statements not explained in detail, named with their outcomes (at most SUMMARY_NAMED of them). */
function summaryBlock(rest: StatementBlock[]): string {
  const named = rest.slice(0, SUMMARY_NAMED).map((s) => s.summary);
  if (rest.length > SUMMARY_NAMED) named.push(`and ${rest.length - SUMMARY_NAMED} more`);
  return `**${rest.length} more statement${rest.length === 1 ? "" : "s"}:** ${named.join("; ")}`;
}

/** "4 completed, `ValueError` caught on the 3rd" */
function summarise<T>(entries: T[], labelOf: (e: T) => string): string {
  const byLabel = new Map<string, number[]>();
  entries.forEach((e, i) => {
    const label = labelOf(e);
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
function distinctKinds<T>(entries: T[]): { entry: T; runs: number[] }[] {
  const kinds = new Map<string, { entry: T; runs: number[] }>();
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

/** The last resort when even the fewest blocks are too long: cut at a line boundary, saying so; the result stays. */
function fitBlocks(blocks: string[], maxChars: number): string[] {
  if (blocks.join(BLOCK_SEPARATOR).length <= maxChars) return blocks;
  const last = blocks.at(-1) ?? "";
  const note = "_...(explanation shortened)_";
  const lines = blocks.slice(0, -1).join(BLOCK_SEPARATOR).split("\n");
  const kept: string[] = [];
  let size = last.length + note.length + 2 * BLOCK_SEPARATOR.length;
  for (const l of lines) {
    if (size + l.length + 1 > maxChars) break;
    kept.push(l);
    size += l.length + 1;
  }
  return [kept.join("\n"), note, last].filter((b) => b.length > 0);
}

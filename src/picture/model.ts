// From a report and its source to the things to draw: the statements with the executions chosen
// for the picture (first few and the last of a long run), their facts, and the marks beside lines.
import { clauseLines } from "../explain/output.js";
import { type Outcome, pendingText, type TryFacts, tryFacts, type WithFacts, withFacts } from "./facts.js";
import {
  raiseFromLines,
  sourceLines,
  type TryStatement,
  tryStatement,
  type WithStatement,
  withStatement,
} from "./program.js";
import type { FlowReport, TryRun, WithRun } from "./types.js";

/** Executions of one statement drawn: all of up to RUNS_DRAWN, else the first RUNS_FIRST and the last. */
export const RUNS_DRAWN = 5;
const RUNS_FIRST = 3;
/** Printed lines numbered on the picture; the rest are counted in a note. */
export const OUTPUTS_DRAWN = 40;
const OUTPUT_CHARS = 60;

export interface TryGroup {
  kind: "try";
  statement: TryStatement;
  total: number;
  drawn: TryFacts[];
}

export interface WithGroup {
  kind: "with";
  statement: WithStatement;
  total: number;
  drawn: WithFacts[];
}

export type Group = TryGroup | WithGroup;

export type MarkKind = "raise" | "pending" | "outcome" | "enter" | "exit" | "output";

export interface Mark {
  kind: MarkKind;
  line: number;
  text: string;
  /** Colour key: a clause kind, "raise", or an outcome's colour. */
  tone: "try" | "except" | "else" | "finally" | "with" | "raise" | "went_on" | "jump" | "output" | "stderr";
  /** Run numbers (within its statement) this mark is about; empty when the statement ran once. */
  runs: number[];
  /** Statement line the mark belongs to (null for output and the uncaught exception). */
  statement: number | null;
  /** Facts for the structure test, written as data attributes. */
  data: Record<string, string>;
}

export interface FlowModel {
  lines: string[];
  groups: Group[];
  marks: Mark[];
  notes: string[];
  /** Every printed line (numbered from 1), including those not drawn. */
  printed: number;
  report: FlowReport;
}

function groupBy<T extends { line: number }>(items: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) {
    const g = m.get(it.line);
    if (g) g.push(it);
    else m.set(it.line, [it]);
  }
  return m;
}

/** Indices (0-based) of the executions drawn out of `total`. */
export function drawnRuns(total: number, max = RUNS_DRAWN): number[] {
  if (total <= max) return [...Array(total).keys()];
  const first = Math.min(RUNS_FIRST, max - 1);
  if (first === 0) return [0];
  return [...[...Array(first).keys()], total - 1];
}

export function buildModel(report: FlowReport, source: string, maxRuns = RUNS_DRAWN): FlowModel {
  const lines = sourceLines(source);
  const inSource = (line: number) => line >= 1 && line <= lines.length;
  const groups: Group[] = [];
  const notes: string[] = [];
  for (const [line, runs] of groupBy<TryRun>(report.tries)) {
    if (!inSource(line)) continue;
    const statement = tryStatement(lines, source, line);
    const drawn = drawnRuns(runs.length, maxRuns).map((i) => tryFacts(runs[i] as TryRun, statement, i + 1));
    groups.push({ kind: "try", statement, total: runs.length, drawn });
    if (drawn.length < runs.length)
      notes.push(
        `try at line ${line} ran ${runs.length} times: runs ${runWords(drawn.map((d) => d.run))} drawn, ${runs.length - drawn.length} left out`,
      );
  }
  for (const [line, runs] of groupBy<WithRun>(report.withs ?? [])) {
    if (!inSource(line)) continue;
    const statement = withStatement(lines, line);
    const drawn = drawnRuns(runs.length, maxRuns).map((i) => withFacts(runs[i] as WithRun, i + 1));
    groups.push({ kind: "with", statement, total: runs.length, drawn });
    if (drawn.length < runs.length)
      notes.push(
        `with at line ${line} ran ${runs.length} times: runs ${runWords(drawn.map((d) => d.run))} drawn, ${runs.length - drawn.length} left out`,
      );
  }
  if (report.capped) notes.push(`tracing stopped after ${report.tries.length} try runs (the cap)`);
  const marks = [...statementMarks(groups, lines), ...uncaughtMark(report, lines)];
  const { marks: outputMarks, printed } = outputs(report, inSource);
  if (printed > OUTPUTS_DRAWN)
    notes.push(`${printed} lines printed: the first ${OUTPUTS_DRAWN} are numbered`);
  return { lines, groups, marks: mergeMarks([...marks, ...outputMarks]), notes, printed, report };
}

/** "1-3, 40" */
export function runLabel(runs: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < runs.length) {
    let j = i;
    while (j + 1 < runs.length && (runs[j + 1] as number) === (runs[j] as number) + 1) j++;
    parts.push(j - i >= 2 ? `${runs[i]}-${runs[j]}` : runs.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

/** "1-3 and 40" for sentences. */
export function runWords(runs: number[]): string {
  const label = runLabel(runs).split(",");
  return label.length === 1
    ? (label[0] as string)
    : `${label.slice(0, -1).join(", ")} and ${label[label.length - 1]}`;
}

function outcomeTone(o: Outcome): Mark["tone"] {
  switch (o.kind) {
    case "completed":
    case "caught":
      return "went_on";
    case "propagated":
    case "reraised":
    case "replaced":
      return "raise";
    case "swallowed":
      return "finally";
    default:
      return "jump";
  }
}

function statementMarks(groups: Group[], lines: string[]): Mark[] {
  const marks: Mark[] = [];
  const raiseFrom = raiseFromLines(lines);
  for (const g of groups) {
    const many = g.total > 1;
    const runs = (r: number) => (many ? [r] : []);
    const statement = g.statement.line;
    if (g.kind === "try") {
      const finallyClause = g.statement.clauses.find((c) => c.kind === "finally");
      for (const f of g.drawn) {
        if (f.raise) {
          // Raised in the statement: marked on its line. Raised in a function the body called: on the try,
          // naming the line (a mark far from its lane would read as another statement's).
          const where = f.raise.line;
          const inside = where !== null && where >= statement && where <= g.statement.end;
          const at = inside ? where : statement;
          const text = inside
            ? `⚡ ${f.raise.type}`
            : `⚡ ${f.raise.type}${where !== null ? ` at line ${where}` : ""}`;
          marks.push({
            kind: "raise",
            line: at,
            text,
            tone: "raise",
            runs: runs(f.run),
            statement,
            data: { type: f.raise.type, at: where === null ? "" : String(where) },
          });
        }
        if (f.pending && finallyClause)
          marks.push({
            kind: "pending",
            line: finallyClause.header,
            text: pendingText(f.pending),
            tone: "finally",
            runs: runs(f.run),
            statement,
            data: {
              pending: f.pending.kind === "exception" ? `exception:${f.pending.type}` : f.pending.kind,
            },
          });
        // raise … from inside a handler that ran, when the statement then propagated a new exception
        const handler = g.statement.clauses.find(
          (c) => c.kind === "except" && f.clauses.some((k) => k.header === c.header && k.ran),
        );
        const from = handler && raiseFrom.find((r) => r.line > handler.header && r.line <= handler.last);
        if (from && f.outcome.exception !== null && f.outcome.kind === "replaced")
          marks.push({
            kind: "raise",
            line: from.line,
            text:
              from.cause === "None"
                ? `⚡ ${f.outcome.exception} (from None: ${f.raise?.type ?? "the first"} hidden)`
                : `⚡ ${f.outcome.exception} (cause: ${f.raise?.type ?? from.cause})`,
            tone: "raise",
            runs: runs(f.run),
            statement,
            data: { type: f.outcome.exception, from: from.cause === "None" ? "None" : (f.raise?.type ?? "") },
          });
        marks.push(outcomeMark(f.outcome, g.statement.end, statement, runs(f.run)));
      }
    } else {
      for (const f of g.drawn) {
        marks.push({
          kind: "enter",
          line: statement,
          text: f.entered ? "⇥ __enter__ ran" : "⇥ __enter__ raised: block skipped",
          tone: "with",
          runs: runs(f.run),
          statement,
          data: { body: f.body },
        });
        if (f.entered) {
          const got = f.exitGot ?? "None";
          const verdict = f.exitGot === null ? "" : f.suppressed ? ": suppressed" : ": let through";
          marks.push({
            kind: "exit",
            line: g.statement.end,
            text: `⇤ __exit__(${got})${verdict}`,
            tone: "with",
            runs: runs(f.run),
            statement,
            data: { got, suppressed: String(f.suppressed) },
          });
        }
        // "let through" already says the exception went on; other ways out get their own mark.
        const letThrough =
          f.outcome.kind === "propagated" && f.exitGot !== null && f.exitGot === f.outcome.exception;
        if (f.outcome.kind !== "completed" && !letThrough)
          marks.push(outcomeMark(f.outcome, g.statement.end, statement, runs(f.run)));
      }
    }
  }
  return marks;
}

/** How one run of a statement ended, at the statement's last line. */
function outcomeMark(outcome: Outcome, line: number, statement: number, runs: number[]): Mark {
  return {
    kind: "outcome",
    line,
    text: outcome.text,
    tone: outcomeTone(outcome),
    runs,
    statement,
    data: { outcome: outcome.report, "outcome-kind": outcome.kind, exception: outcome.exception ?? "" },
  };
}

function uncaughtMark(report: FlowReport, lines: string[]): Mark[] {
  const e = report.exception;
  if (!e || e.line === null || e.line > lines.length || report.status !== "exception") return [];
  const msg = e.message.split("\n")[0] ?? "";
  const short = msg.length > 0 && msg.length <= 40 ? `: ${msg}` : "";
  return [
    {
      kind: "raise",
      line: e.line,
      text: `✖ ${e.type}${short} (uncaught)`,
      tone: "raise",
      runs: [],
      statement: null,
      data: { type: e.type, uncaught: "true", message: short },
    },
  ];
}

function outputs(
  report: FlowReport,
  inSource: (line: number) => boolean,
): { marks: Mark[]; printed: number } {
  const printed = clauseLines(
    report.output.filter((p) => p.line !== null),
    "both",
  );
  const marks: Mark[] = [];
  printed.forEach((l, i) => {
    if (i >= OUTPUTS_DRAWN || l.line === null || !inSource(l.line)) return;
    let text = l.text.replace(/\n$/, "");
    if (text.length > OUTPUT_CHARS) text = `${text.slice(0, OUTPUT_CHARS - 1)}…`;
    marks.push({
      kind: "output",
      line: l.line,
      text,
      tone: l.stream === "stderr" ? "stderr" : "output",
      runs: [],
      statement: null,
      data: { n: String(i + 1), stream: l.stream },
    });
  });
  return { marks, printed: printed.length };
}

/** The same words on the same line for several runs of one statement become one mark: "#1,2,4 …". */
function mergeMarks(marks: Mark[]): Mark[] {
  const out: Mark[] = [];
  const byKey = new Map<string, Mark>();
  for (const m of marks) {
    if (m.kind === "output" || m.statement === null) {
      out.push(m);
      continue;
    }
    const key = `${m.kind}\u0000${m.line}\u0000${m.statement}\u0000${m.text}`;
    const seen = byKey.get(key);
    if (seen) seen.runs.push(...m.runs);
    else {
      const copy = { ...m, runs: [...m.runs] };
      byKey.set(key, copy);
      out.push(copy);
    }
  }
  // One raise seen by nested statements (the inner body raised it and the outer body too) is one mark.
  const raises = new Map<string, Mark>();
  const merged = out.filter((m) => {
    if (m.kind !== "raise" || m.statement === null || m.runs.length > 0) return true;
    const key = `${m.line}\u0000${m.text}`;
    const seen = raises.get(key);
    if (!seen) {
      raises.set(key, m);
      return true;
    }
    seen.data.statements = `${seen.data.statements ?? seen.statement},${m.statement}`;
    return false;
  });
  out.splice(0, out.length, ...merged);
  // The uncaught exception where a try's body raised it: one mark, with the message.
  const uncaught = out.find((m) => m.kind === "raise" && m.data.uncaught === "true");
  const same =
    uncaught &&
    out.find(
      (m) =>
        m !== uncaught &&
        m.kind === "raise" &&
        m.line === uncaught.line &&
        m.data.type === uncaught.data.type,
    );
  if (!uncaught || !same) return out;
  same.text = same.text.replace(`⚡ ${same.data.type}`, `⚡ ${same.data.type}${uncaught.data.message ?? ""}`);
  same.data.uncaught = "true";
  return out.filter((m) => m !== uncaught);
}

// Turns one sandbox run of a question's code into the question's right answer.
// This is the only place an answer comes from: nothing in a lesson file states it.
import type { Clause, RunResult, TryEntry } from "../sandbox/types.js";
import type { ClausesQuestion, EscapeChoice, Question } from "./types.js";

/** Bump when the derivation rules change, so cached answers are derived again. */
export const DERIVATION_VERSION = 1;

export type DerivedAnswer =
  | { kind: "first_line"; line: string; laterLines: string[] }
  | { kind: "whole_output"; text: string }
  | { kind: "clauses"; clauses: Clause[]; entry: TryEntry }
  | { kind: "escapes"; choice: EscapeChoice };

export type Derivation = { ok: true; answer: DerivedAnswer } | { ok: false; reason: string };

const CLAUSE_ORDER: readonly Clause[] = ["try", "except", "else", "finally"];

/** Why a run cannot back any question (timeout, refused, syntax error...), or null when it can. */
export function unusableRun(run: RunResult): string | null {
  if (run.status !== "ok" && run.status !== "exception") {
    return `the code did not run to an end: ${run.status}${run.reason ? ` (${run.reason})` : ""}`;
  }
  if (run.truncated) return "the output was cut at the sandbox output cap";
  const type = run.exception?.type;
  if (type === "SyntaxError" || type === "IndentationError" || type === "TabError") {
    return `the code does not compile: ${type}: ${run.exception?.message ?? ""}`;
  }
  return null;
}

export function deriveAnswer(question: Question, run: RunResult): Derivation {
  const unusable = unusableRun(run);
  if (unusable) return { ok: false, reason: unusable };
  switch (question.kind) {
    case "first_line": {
      const lines = stdoutLines(run.stdout);
      const [line, ...rest] = lines;
      if (line === undefined) return { ok: false, reason: "first_line question: the program prints nothing" };
      if (line.trim() === "")
        return { ok: false, reason: "first_line question: the first line printed is blank" };
      return { ok: true, answer: { kind: "first_line", line, laterLines: rest } };
    }
    case "whole_output": {
      const text = visibleOutput(run);
      if (text === "") return { ok: false, reason: "whole_output question: the program prints nothing" };
      return { ok: true, answer: { kind: "whole_output", text } };
    }
    case "clauses":
      return deriveClauses(question, run);
    case "escapes": {
      if (run.status === "exception" && run.exception) {
        return { ok: true, answer: { kind: "escapes", choice: { escapes: run.exception.type } } };
      }
      // By convention the program ends by printing what the caller received, e.g. print(f()).
      const last = stdoutLines(run.stdout).at(-1);
      if (run.status !== "ok" || last === undefined) {
        return {
          ok: false,
          reason: "escapes question: the program must end by printing what the caller receives",
        };
      }
      return { ok: true, answer: { kind: "escapes", choice: { receives: last } } };
    }
  }
}

function deriveClauses(question: ClausesQuestion, run: RunResult): Derivation {
  if (run.tries.length === 0) {
    return {
      ok: false,
      reason: "clauses question: the run reports no try statement (is the clause tracer on?)",
    };
  }
  const line = question.focusLine ?? run.tries[0]?.line;
  const runs = run.tries.filter((t) => t.line === line);
  if (runs.length === 0)
    return { ok: false, reason: `clauses question: no try statement on code line ${line} ran` };
  if (question.focusRun === null && runs.length > 1) {
    return {
      ok: false,
      reason: `clauses question: the try on code line ${line} ran ${runs.length} times; say which with focus_run`,
    };
  }
  const entry = runs[(question.focusRun ?? 1) - 1];
  if (!entry) {
    return {
      ok: false,
      reason: `clauses question: the try on code line ${line} ran only ${runs.length} time(s)`,
    };
  }
  const ran = new Set<Clause>(["try"]);
  if (entry.handler !== null) ran.add("except");
  if (entry.else) ran.add("else");
  if (entry.finally) ran.add("finally");
  return { ok: true, answer: { kind: "clauses", clauses: CLAUSE_ORDER.filter((c) => ran.has(c)), entry } };
}

/** stdout split into lines, without the final newline's empty line. */
export function stdoutLines(stdout: string): string[] {
  if (stdout === "") return [];
  return stdout.replace(/\n$/, "").split("\n");
}

/**
 * What a learner sees in a terminal, in the lessons' written form: stdout, then for an uncaught
 * exception a short traceback whose middle is "  ...". The exact frames are not the point of a question.
 */
export function visibleOutput(run: RunResult): string {
  const lines = stdoutLines(run.stdout);
  if (run.status === "exception" && run.exception) {
    const { type, message } = run.exception;
    lines.push("Traceback (most recent call last):", "  ...", message ? `${type}: ${message}` : type);
  }
  return lines.join("\n");
}

// The program's output line by line with the clause that printed it, for "what prints first?" answers.
import type { Clause, OutputPiece, RunResult } from "../sandbox/types.js";

export interface ClauseLine {
  text: string;
  stream: "stdout" | "stderr";
  /** One clause per piece of the line (a prompt and a handler's text can share a line). */
  clauses: (Clause | null)[];
  /** Source line of the first piece. */
  line: number | null;
}

/** Joins the tracer's pieces into output lines (a line ends after `\n`; a last line without it counts). */
export function clauseLines(
  pieces: OutputPiece[],
  stream: "stdout" | "stderr" | "both" = "stdout",
): ClauseLine[] {
  const lines: ClauseLine[] = [];
  const open = new Map<string, ClauseLine>();
  for (const p of pieces) {
    if (stream !== "both" && p.stream !== stream) continue;
    let cur = open.get(p.stream);
    if (!cur) {
      cur = { text: "", stream: p.stream, clauses: [], line: p.line };
      lines.push(cur);
      open.set(p.stream, cur);
    }
    cur.text += p.text;
    if (cur.clauses.length === 0 || cur.clauses[cur.clauses.length - 1] !== p.clause)
      cur.clauses.push(p.clause);
    if (p.text.endsWith("\n")) open.delete(p.stream);
  }
  return lines;
}

const LABEL: Record<Clause, string> = { try: "try", except: "except", else: "else", finally: "finally" };

/**
 * A monospace block: each stdout line prefixed by its clause (`-` outside any try), at most `maxLines` lines.
 * Meant to go inside a ``` block; backticks in the program's output are defused.
 */
export function renderClauseOutput(run: Pick<RunResult, "output">, maxLines = 20): string {
  const lines = clauseLines(run.output);
  if (lines.length === 0) return "";
  const shown = lines.slice(0, maxLines).map((l) => {
    const label = l.clauses.map((c) => (c ? LABEL[c] : "-")).join("+");
    const text = l.text.replace(/\n$/, "").replaceAll("```", "`\u200b``");
    return `${label.padEnd(7)} | ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
  });
  if (lines.length > maxLines) shown.push(`... ${lines.length - maxLines} more lines`);
  return shown.join("\n");
}

// The shape of the program as the picture needs it: where each try statement's clauses and each
// `with` block start and end, and which `raise` lines name a cause. A light scan by indentation, as in
// ../explain/source.ts (whose header scan it reuses): the facts come from the report, this only
// finds where on the listing to draw them.
import type { FinallyText } from "../explain/model.js";
import { tryShape } from "../explain/source.js";

export type ClauseKind = "try" | "except" | "else" | "finally";

export interface ClauseRange {
  kind: ClauseKind;
  /** The clause's header line (`try`, `except …`, `else`, `finally`); 1-based. */
  header: number;
  /** Last line of the clause's block. */
  last: number;
  /** The header as written (`except ValueError as e`). */
  text: string;
}

export interface TryStatement {
  line: number;
  clauses: ClauseRange[];
  /** Last line of the whole statement. */
  end: number;
  inFunction: string | null;
  /** What its finally block's text can do (jumps written in it), for what the report cannot tell. */
  finallyText: FinallyText;
}

export interface WithStatement {
  line: number;
  end: number;
}

export interface RaiseFrom {
  line: number;
  /** `None` for `raise … from None`. */
  cause: string;
}

/** Column of the first non-blank character; a tab advances to the next multiple of 8, as Python counts. */
export function indentOf(line: string): number {
  let col = 0;
  for (const ch of line) {
    if (ch === " ") col++;
    else if (ch === "\t") col = (Math.floor(col / 8) + 1) * 8;
    else if (ch === "\f") col = 0;
    else break;
  }
  return col;
}

const isBlank = (line: string): boolean => {
  const t = line.trim();
  return t === "" || t.startsWith("#");
};

/** Last line (1-based) of the block whose header is at `header`: the lines indented deeper, blank lines inside. */
export function blockEnd(lines: string[], header: number): number {
  const base = indentOf(lines[header - 1] ?? "");
  let last = header;
  // A header continued over several lines (open brackets) ends at the line with the colon.
  let depth = bracketDepth(lines[header - 1] ?? "");
  let i = header;
  while (depth > 0 && i < lines.length) {
    depth += bracketDepth(lines[i] ?? "");
    i++;
    last = i;
  }
  for (; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    if (isBlank(raw)) continue;
    if (indentOf(raw) <= base) break;
    last = i + 1;
  }
  return last;
}

function bracketDepth(line: string): number {
  let d = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "#") break;
    else if (c === "(" || c === "[" || c === "{") d++;
    else if (c === ")" || c === "]" || c === "}") d--;
  }
  return d;
}

export function tryStatement(lines: string[], source: string, line: number): TryStatement {
  const shape = tryShape(source, line);
  const clauses: ClauseRange[] = [];
  const headers = shape.headers;
  const tryEnd = headers.length > 0 ? (headers[0]?.line ?? line) - 1 : blockEnd(lines, line);
  clauses.push({
    kind: "try",
    header: line,
    last: Math.max(line, lastCode(lines, line, tryEnd)),
    text: "try",
  });
  headers.forEach((h, i) => {
    const next = headers[i + 1];
    const last = next ? lastCode(lines, h.line, next.line - 1) : blockEnd(lines, h.line);
    clauses.push({ kind: h.kind, header: h.line, last: Math.max(h.line, last), text: h.text });
  });
  const end = Math.max(...clauses.map((c) => c.last));
  return { line, clauses, end, inFunction: shape.inFunction, finallyText: shape.finallyText };
}

/** The last non-blank line in [from, to] (comments between clauses belong to neither). */
function lastCode(lines: string[], from: number, to: number): number {
  for (let i = to; i > from; i--) if (!isBlank(lines[i - 1] ?? "")) return i;
  return from;
}

export function withStatement(lines: string[], line: number): WithStatement {
  return { line, end: blockEnd(lines, line) };
}

const RAISE_FROM = /^\s*raise\s+.+?\s+from\s+(.+?)\s*(#.*)?$/;

/** `raise X from Y` lines, with Y as written. */
export function raiseFromLines(lines: string[]): RaiseFrom[] {
  const out: RaiseFrom[] = [];
  lines.forEach((l, i) => {
    const m = RAISE_FROM.exec(l);
    if (m) out.push({ line: i + 1, cause: (m[1] as string).trim() });
  });
  return out;
}

/** Splits source into lines as Python numbers them (a trailing newline adds no line). */
export function sourceLines(source: string): string[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

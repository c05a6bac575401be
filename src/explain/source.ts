// Reads the clause headers of a try statement from the program's text, so the explanation can quote
// `except Exception` and say why it did not match. A light scan by indentation, not a Python parser:
// the tracer already gives every fact; this only finds the words to quote.
import type { FinallyText, Jump } from "./model.js";

export type HeaderKind = "except" | "else" | "finally";

export interface ClauseHeader {
  kind: HeaderKind;
  line: number;
  /** The header as written, without its trailing colon, e.g. `except ValueError as e`. */
  text: string;
  /** `except*` */
  star: boolean;
}

export interface TryShape {
  line: number;
  headers: ClauseHeader[];
  /** The function the try is written in, `null` at module level (or in a class body). */
  inFunction: string | null;
  /** What its finally block's text can do (jump statements written in it). */
  finallyText: FinallyText;
}

const indentOf = (s: string): number => s.length - s.trimStart().length;

/** The except/else/finally headers that belong to the try at `tryLine` (1-based). */
export function tryShape(source: string, tryLine: number): TryShape {
  const lines = source.split("\n");
  const first = lines[tryLine - 1];
  const headers: ClauseHeader[] = [];
  if (first === undefined)
    return { line: tryLine, headers, inFunction: null, finallyText: { jumps: new Set() } };
  const indent = indentOf(first);
  for (let i = tryLine; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const ind = indentOf(raw);
    if (ind > indent) continue;
    if (ind < indent) break;
    const m = /^(except\*?|else|finally)\b(.*)$/.exec(trimmed);
    if (!m) break;
    const word = m[1] as string;
    const kind: HeaderKind = word.startsWith("except") ? "except" : (word as HeaderKind);
    headers.push({ kind, line: i + 1, text: headerText(trimmed), star: word === "except*" });
  }
  const shape = { line: tryLine, headers, inFunction: enclosingFunction(lines, tryLine - 1, indent) };
  return { ...shape, finallyText: finallyText(lines, headers) };
}

/** The nearest `def` above `index` with less indentation than the try (crossing only outer blocks). */
function enclosingFunction(lines: string[], index: number, indent: number): string | null {
  let limit = indent;
  for (let i = index - 1; i >= 0 && limit > 0; i--) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const ind = indentOf(raw);
    if (ind >= limit) continue;
    limit = ind;
    const m = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(trimmed);
    if (m) return m[1] as string;
    if (/^class\s/.test(trimmed)) return null;
  }
  return null;
}

/** `except ValueError as e:  # note` -> `except ValueError as e` (single-line headers; long ones are cut). */
function headerText(trimmed: string): string {
  let depth = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === ":" && depth === 0) return clip(trimmed.slice(0, i).trimEnd());
  }
  return clip(trimmed);
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/**
 * The jump statements written in a try's finally block: a `return` outside nested
 * functions and classes, a `break`/`continue` outside nested loops too. Lets the explanation tell a finally's own
 * `return` of an equal value from the try's.
 */
function finallyText(lines: string[], headers: ClauseHeader[]): FinallyText {
  const jumps = new Set<Jump>();
  const header = headers.find((h) => h.kind === "finally");
  if (!header) return { jumps };
  const headerRaw = lines[header.line - 1] ?? "";
  const base = indentOf(headerRaw);
  const body: string[] = [];
  const inline = /^finally\s*:\s*(.+)$/.exec(headerRaw.trim());
  if (inline?.[1] && !inline[1].startsWith("#")) body.push(`${" ".repeat(base + 1)}${inline[1]}`);
  for (let i = header.line; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (indentOf(raw) <= base) break;
    body.push(raw);
  }
  // Blocks that change what a jump means: (indent, kind) of the innermost open ones.
  const open: { indent: number; kind: "def" | "loop" }[] = [];
  for (const raw of body) {
    const ind = indentOf(raw);
    while (open.length > 0 && ind <= (open.at(-1)?.indent ?? -1)) open.pop();
    for (const stmt of raw.trim().split(";")) {
      const t = stmt.trim();
      const inDef = open.some((o) => o.kind === "def");
      const inLoop = open.some((o) => o.kind === "loop");
      const m = /^(return|break|continue)\b/.exec(t) ?? /:\s*(return|break|continue)\b/.exec(t);
      const word = m?.[1] as Jump | undefined;
      if (word === "return" && !inDef) jumps.add(word);
      if ((word === "break" || word === "continue") && !inDef && !inLoop) jumps.add(word);
    }
    const t = raw.trim();
    if (/^(async\s+)?def\s|^class\s/.test(t)) open.push({ indent: ind, kind: "def" });
    else if (/^(async\s+)?(for|while)\s/.test(t)) open.push({ indent: ind, kind: "loop" });
  }
  return { jumps };
}

/** A with statement as written (`with open(path) as f`), and the function it sits in. */
export interface WithShape {
  line: number;
  text: string;
  inFunction: string | null;
}

export function withShape(source: string, line: number): WithShape {
  const lines = source.split("\n");
  const raw = lines[line - 1];
  if (raw === undefined) return { line, text: "with", inFunction: null };
  const trimmed = raw.trim();
  const text = /^(async\s+)?with\b/.test(trimmed) ? headerText(trimmed) : "with";
  return { line, text, inFunction: enclosingFunction(lines, line - 1, indentOf(raw)) };
}

/** Whether an except header can catch anything deriving from Exception only (so not SystemExit & co). */
export function catchesOnlyExceptions(header: ClauseHeader): boolean {
  return /\bException\b/.test(header.text) && !/\bBaseException\b/.test(header.text);
}

export function isBareExcept(header: ClauseHeader): boolean {
  return /^except\*?$/.test(header.text);
}

// Where everything goes: which source lines are listed (long programs fold the lines nothing happens
// on), the rows (a line whose marks do not fit beside it gets extra rows below), the lanes (one column
// per drawn execution; statements that do not overlap share columns) and the picture's size.
import { buildModel, type FlowModel, type Group, type Mark, runLabel } from "./model.js";

/** Sizes in SVG units. The PNG is rendered at 2x: Discord shows it about 550 px wide, sharp when opened. */
export const SIZE = {
  pad: 14,
  font: 13,
  row: 20,
  markFont: 11.5,
  laneW: 15,
  header: 36,
  gap: 12,
  minWidth: 600,
  maxWidth: 680,
  /** Marks wider than this many characters wrap rather than widen the picture. */
  maxMarkChars: 40,
  minMarkChars: 28,
  maxCodeChars: 64,
  minCodeChars: 26,
  /** A listing of more lines than this folds the lines nothing happens on. */
  foldAbove: 40,
  maxRows: 90,
  maxColumns: 8,
  noteFont: 11,
  footerLine: 17,
} as const;

/** DejaVu Sans Mono's advance width is 1233/2048 of the font size. */
export const charWidth = (fontSize: number): number => fontSize * (1233 / 2048);

export interface PlacedMark {
  mark: Mark;
  x: number;
  width: number;
  /** "#1,2" when the statement ran more than once, else "". */
  label: string;
  /** The text, wrapped: one line per row, from the row the mark is on downwards. */
  lines: string[];
}

export interface Row {
  y: number;
  /** Source line listed on this row; null on a fold row or a line's extra row. */
  line: number | null;
  /** Lines folded into this row. */
  folded: number;
  marks: PlacedMark[];
}

export interface Lane {
  group: Group;
  /** Index into group.drawn. */
  index: number;
  column: number;
  x: number;
  first: number;
  last: number;
}

export interface Layout {
  model: FlowModel;
  width: number;
  height: number;
  rows: Row[];
  /** First and last row of each listed line. */
  rowsOf: Map<number, [number, number]>;
  lanes: Lane[];
  lineNumberX: number;
  codeX: number;
  codeChars: number;
  markX: number;
  markWidth: number;
  footerY: number;
  /** The notes under the legend, wrapped to the width. */
  notes: string[];
  /** Listed lines whose clause did not run in any drawn execution. */
  dimmed: Set<number>;
}

// In the order things happen on a line: raised, pending as finally starts, printed, then how it ended.
/** Rows a wrapped mark may take. */
const MARK_LINES = 3;

const MARK_ORDER = ["raise", "enter", "pending", "output", "exit", "outcome"];

export function layoutFlow(report: FlowModel["report"], source: string): Layout {
  let model = buildModel(report, source);
  let columns = laneColumns(model.groups);
  // Too many columns (deep nesting of long runs): draw fewer runs of each statement.
  for (const fewer of [2, 1]) {
    if (maxColumn(columns) < SIZE.maxColumns) break;
    model = buildModel(report, source, fewer);
    columns = laneColumns(model.groups);
  }
  const cols = maxColumn(columns) + 1;
  const ch = charWidth(SIZE.font);
  const mch = charWidth(SIZE.markFont);
  const listed = listedLines(model);
  const display = model.lines.map(expandTabs);
  const longest = Math.max(1, ...[...listed].map((l) => (display[l - 1] ?? "").trimEnd().length));
  const digits = String(model.lines.length).length;
  const lineNumberX = SIZE.pad + digits * ch; // right edge
  const lanesX = lineNumberX + 8;
  const codeX = lanesX + cols * SIZE.laneW + (cols > 0 ? 8 : 0);
  const fixed = codeX + SIZE.gap + SIZE.pad;
  const minMark = SIZE.minMarkChars * mch + 12;
  const widest = Math.max(
    0,
    ...model.marks.map((m) => markWidthOf(m, m.runs.length > 0 ? `#${runLabel(m.runs)}` : "", m.text)),
  );
  const wantMark = Math.max(minMark, Math.min(widest, SIZE.maxMarkChars * mch + 12));
  let codeChars = Math.min(longest, SIZE.maxCodeChars);
  if (fixed + codeChars * ch + minMark > SIZE.maxWidth)
    codeChars = Math.max(SIZE.minCodeChars, Math.floor((SIZE.maxWidth - fixed - minMark) / ch));
  const width = Math.round(
    Math.max(SIZE.minWidth, Math.min(SIZE.maxWidth, fixed + codeChars * ch + wantMark)),
  );
  const markX = codeX + codeChars * ch + SIZE.gap;
  const markWidth = width - SIZE.pad - markX;

  const marksByLine = new Map<number, Mark[]>();
  for (const m of model.marks) {
    const list = marksByLine.get(m.line);
    if (list) list.push(m);
    else marksByLine.set(m.line, [m]);
  }
  const rows: Row[] = [];
  const rowsOf = new Map<number, [number, number]>();
  let y = SIZE.header + 6;
  const addRow = (line: number | null, folded = 0): Row => {
    const r: Row = { y, line, folded, marks: [] };
    rows.push(r);
    y += SIZE.row;
    return r;
  };
  let folded = 0;
  for (let line = 1; line <= model.lines.length; line++) {
    if (!listed.has(line)) {
      folded++;
      continue;
    }
    if (folded > 0) addRow(null, folded);
    folded = 0;
    if (rows.length >= SIZE.maxRows) {
      addRow(null, model.lines.length - line + 1);
      break;
    }
    const first = rows.length;
    let row = addRow(line);
    let x = markX;
    const marks = (marksByLine.get(line) ?? []).sort(
      (a, b) => MARK_ORDER.indexOf(a.kind) - MARK_ORDER.indexOf(b.kind),
    );
    // Marks go side by side while they fit; a mark too wide for what is left starts a row of its own,
    // and one too wide for a whole row wraps onto the rows below it.
    let pendingRows = 0;
    for (const mark of marks) {
      const label = mark.runs.length > 0 ? `#${runLabel(mark.runs)}` : "";
      const fits = (room: number) => markWidthOf(mark, label, mark.text) <= room;
      if (pendingRows > 0 || (x > markX && !fits(markX + markWidth - x))) {
        // Below the rows a wrapped mark before it takes (pendingRows), or on the next row.
        for (let i = 0; i <= pendingRows; i++) row = addRow(null);
        pendingRows = 0;
        x = markX;
      }
      const lines = fits(markX + markWidth - x) ? [mark.text] : wrapMark(mark, label, markWidth);
      const w = Math.min(
        markWidth,
        Math.max(...lines.map((l, i) => markWidthOf(mark, i === 0 ? label : "", l))),
      );
      row.marks.push({ mark, x, width: w, label, lines });
      x += w + 6;
      pendingRows = lines.length - 1;
    }
    for (let i = 0; i < pendingRows; i++) addRow(null);
    rowsOf.set(line, [first, rows.length - 1]);
  }
  if (folded > 0) addRow(null, folded);

  const lanes = placeLanes(model.groups, columns, rowsOf, lanesX);
  const footerY = y + 14;
  const notes = model.notes.flatMap((n) =>
    wrap(n, Math.floor((width - 2 * SIZE.pad) / charWidth(SIZE.noteFont))),
  );
  const footerLines = 1 + notes.length;
  return {
    model,
    width,
    height: Math.round(footerY + footerLines * SIZE.footerLine + 10),
    rows,
    rowsOf,
    lanes,
    lineNumberX,
    codeX,
    codeChars,
    markX,
    markWidth,
    footerY,
    notes,
    dimmed: dimmedLines(model, listed),
  };
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

export function expandTabs(line: string): string {
  if (!line.includes("\t")) return line;
  let out = "";
  for (const c of line) out += c === "\t" ? " ".repeat(4 - (out.length % 4)) : c;
  return out;
}

/** Output marks are a numbered disc and the text; the others a badge with padding. */
export function markWidthOf(mark: Mark, label: string, text: string): number {
  const mch = charWidth(SIZE.markFont);
  if (mark.kind === "output") return discWidth(mark.data.n ?? "") + 4 + text.length * mch;
  return (label ? label.length + 1 : 0) * mch + text.length * mch + 12;
}

export const discWidth = (n: string): number => Math.max(15, n.length * charWidth(9.5) + 7);

/** A mark's text in lines that fit `room` (the label on the first), at most MARK_LINES of them. */
function wrapMark(mark: Mark, label: string, room: number): string[] {
  const lines: string[] = [];
  let rest = mark.text;
  while (rest.length > 0 && lines.length < MARK_LINES) {
    const first = lines.length === 0;
    let n = rest.length;
    while (n > 1 && markWidthOf(mark, first ? label : "", rest.slice(0, n)) > room) n--;
    // Break after a space when there is one in the second half of the line.
    const space = rest.lastIndexOf(" ", n);
    const cut = n < rest.length && space > n / 2 ? space + 1 : n;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
  }
  if (rest.length > 0) {
    const last = lines.length - 1;
    lines[last] = `${(lines[last] as string).slice(0, -1)}…`;
  }
  return lines;
}

/** Lines to list: all of a short program; of a long one, those where something is drawn, with one line around. */
function listedLines(model: FlowModel): Set<number> {
  const n = model.lines.length;
  const all = new Set<number>();
  for (let i = 1; i <= n; i++) all.add(i);
  if (n <= SIZE.foldAbove) return all;
  const keep = new Set<number>();
  const add = (a: number, b: number) => {
    for (let i = Math.max(1, a - 1); i <= Math.min(n, b + 1); i++) keep.add(i);
  };
  for (const g of model.groups) add(g.statement.line, g.statement.end);
  for (const m of model.marks) add(m.line, m.line);
  // A single folded line takes a row anyway: list it instead.
  for (let i = 2; i < n; i++) if (!keep.has(i) && keep.has(i - 1) && keep.has(i + 1)) keep.add(i);
  return keep;
}

/** Columns for each group's drawn runs: lowest free column, statements that overlap never share one. */
function laneColumns(groups: Group[]): Map<Group, number[]> {
  const items = groups.flatMap((g, gi) =>
    g.drawn.map((_, i) => ({ g, gi, i, first: g.statement.line, last: g.statement.end })),
  );
  items.sort((a, b) => a.first - b.first || b.last - a.last || a.gi - b.gi || a.i - b.i);
  const columnEnds: number[] = [];
  const out = new Map<Group, number[]>();
  for (const it of items) {
    let col = columnEnds.findIndex((end) => end < it.first);
    if (col < 0) col = columnEnds.length;
    columnEnds[col] = it.last;
    const list = out.get(it.g) ?? [];
    list[it.i] = col;
    out.set(it.g, list);
  }
  return out;
}

function maxColumn(columns: Map<Group, number[]>): number {
  return Math.max(-1, ...[...columns.values()].flat());
}

function placeLanes(
  groups: Group[],
  columns: Map<Group, number[]>,
  rowsOf: Map<number, [number, number]>,
  lanesX: number,
): Lane[] {
  const lanes: Lane[] = [];
  for (const g of groups) {
    const first = rowsOf.get(g.statement.line)?.[0];
    const last = rowsOf.get(g.statement.end)?.[1] ?? lastListedRow(rowsOf, g.statement.end);
    if (first === undefined || last === undefined) continue;
    g.drawn.forEach((_, index) => {
      const column = columns.get(g)?.[index] ?? 0;
      lanes.push({ group: g, index, column, x: lanesX + column * SIZE.laneW + SIZE.laneW / 2, first, last });
    });
  }
  return lanes;
}

function lastListedRow(rowsOf: Map<number, [number, number]>, line: number): number | undefined {
  for (let l = line; l > 0; l--) {
    const r = rowsOf.get(l);
    if (r) return r[1];
  }
  return undefined;
}

/**
 * The last line of the body that ran in an execution whose body raised at `raiseLine`: the raising line,
 * or the end of a statement nested in the body around it (its own clauses, a finally, still ran).
 */
export function bodyStop(
  body: { header: number; last: number },
  raiseLine: number | null,
  groups: Group[],
): number {
  if (raiseLine === null || raiseLine < body.header || raiseLine > body.last) return body.last;
  let stop = raiseLine;
  for (const g of groups) {
    const s = g.statement;
    if (s.line > body.header && s.end <= body.last && s.line <= raiseLine && s.end >= raiseLine)
      stop = Math.max(stop, s.end);
  }
  return stop;
}

function dimmedLines(model: FlowModel, listed: Set<number>): Set<number> {
  const dim = new Set<number>();
  for (const g of model.groups) {
    if (g.kind === "with") {
      if (g.drawn.every((f) => !f.entered))
        for (let l = g.statement.line + 1; l <= g.statement.end; l++) if (listed.has(l)) dim.add(l);
      continue;
    }
    for (const clause of g.statement.clauses) {
      for (let l = clause.header; l <= clause.last; l++) {
        const ranSomewhere = g.drawn.some((f) => {
          if (!f.clauses.find((c) => c.header === clause.header)?.ran) return false;
          if (clause.kind !== "try") return true;
          return l <= bodyStop(clause, f.raise?.line ?? null, model.groups);
        });
        if (!ranSomewhere && listed.has(l)) dim.add(l);
      }
    }
  }
  return dim;
}

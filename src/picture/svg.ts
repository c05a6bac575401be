// The layout written as SVG. Every execution's lane and every mark is a <g> whose data attributes
// carry the facts it shows (the structure test reads them; nothing reads pixels).
import { highlightLines, type Token } from "./highlight.js";
import {
  bodyStop,
  charWidth,
  discWidth,
  expandTabs,
  type Lane,
  type Layout,
  type PlacedMark,
  type Row,
  SIZE,
} from "./layout.js";
import type { Group } from "./model.js";
import { esc, svgText, type TextRun, type TextWriter } from "./text.js";
import type { Theme } from "./theme.js";

export { esc };

export const FONT_FAMILY = "DejaVu Sans Mono";

const attrs = (data: Record<string, string | number>): string =>
  Object.entries(data)
    .map(([k, v]) => ` data-${k}="${esc(String(v))}"`)
    .join("");

const n = (v: number): string => String(Math.round(v * 100) / 100);

/** The SVG of a layout; `text` writes its text as <text> (default) or as glyph outlines for rasterising. */
export function writeSvg(layout: Layout, theme: Theme, text: TextWriter = svgText): string {
  const { width, height } = layout;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" data-theme="${theme.name}">`,
    `<rect width="${width}" height="${height}" fill="${theme.background}"/>`,
  );
  out.push(header(layout, theme, text));
  out.push(tints(layout, theme));
  out.push(listing(layout, theme, text));
  out.push(`<g class="lanes">${layout.lanes.map((l) => lane(l, layout, theme, text)).join("")}</g>`);
  out.push(
    `<g class="marks">${layout.rows.flatMap((r) => r.marks.map((m) => mark(m, r, theme, text))).join("")}</g>`,
  );
  out.push(footer(layout, theme, text));
  out.push("</svg>");
  return out.join("\n");
}

function statusWords(layout: Layout): { text: string; colour: keyof Theme["colour"] | "dim" } {
  const r = layout.model.report;
  switch (r.status) {
    case "ok":
      return { text: "✔ finished normally", colour: "went_on" };
    case "exception":
      return { text: `✖ stopped: uncaught ${r.exception?.type ?? "exception"}`, colour: "raise" };
    case "exit":
      return { text: `■ ended with sys.exit(${r.exitCode ?? ""})`, colour: "finally" };
    default:
      return { text: `■ stopped: ${r.status.replace("_", " ")}`, colour: "raise" };
  }
}

function header(layout: Layout, theme: Theme, text: TextWriter): string {
  const status = statusWords(layout);
  const colour = status.colour === "dim" ? theme.dim : theme.colour[status.colour];
  const h = SIZE.header;
  return [
    `<g class="header" data-status="${layout.model.report.status}">`,
    `<rect width="${layout.width}" height="${h}" fill="${theme.header}"/>`,
    text(SIZE.pad, h / 2 + 5, [{ text: "Flow of the run", fill: theme.text }], { size: 14, bold: true }),
    text(layout.width - SIZE.pad, h / 2 + 5, [{ text: status.text, fill: colour }], {
      size: 12.5,
      anchor: "end",
    }),
    "</g>",
  ].join("");
}

const rowTop = (layout: Layout, i: number): number => layout.rows[i]?.y ?? 0;

/** Rows of a span of lines: from the first row of `from` to the last row of `to` (listed lines only). */
function rowSpan(layout: Layout, from: number, to: number): [number, number] | null {
  let first: number | undefined;
  let last: number | undefined;
  for (let l = from; l <= to; l++) {
    const r = layout.rowsOf.get(l);
    if (!r) continue;
    first ??= r[0];
    last = r[1];
  }
  return first === undefined || last === undefined ? null : [first, last];
}

function tints(layout: Layout, theme: Theme): string {
  const out: string[] = [];
  const x = layout.codeX - 6;
  const w = layout.markX - 6 - x;
  const band = (from: number, to: number, colour: string, data: Record<string, string | number>) => {
    const span = rowSpan(layout, from, to);
    if (!span) return;
    const y = rowTop(layout, span[0]);
    const h = rowTop(layout, span[1]) + SIZE.row - y;
    out.push(
      `<g class="tint"${attrs(data)}><rect x="${n(x)}" y="${y}" width="${n(w)}" height="${h}" fill="${colour}" fill-opacity="${theme.tintOpacity}"/>`,
      `<rect x="${n(x)}" y="${y}" width="3" height="${h}" fill="${colour}"/></g>`,
    );
  };
  for (const g of layout.model.groups) {
    if (g.kind === "with") {
      if (g.drawn.some((f) => f.entered))
        band(g.statement.line, g.statement.end, theme.colour.with, { kind: "with", line: g.statement.line });
      continue;
    }
    for (const clause of g.statement.clauses) {
      const ran = g.drawn.filter((f) => f.clauses.find((c) => c.header === clause.header)?.ran);
      if (ran.length === 0) continue;
      const last =
        clause.kind === "try"
          ? Math.max(...ran.map((f) => bodyStop(clause, f.raise?.line ?? null, layout.model.groups)))
          : clause.last;
      band(clause.header, last, theme.colour[clause.kind], {
        kind: clause.kind,
        line: clause.header,
        statement: g.statement.line,
      });
    }
  }
  return `<g class="tints">${out.join("")}</g>`;
}

function codeRuns(tokens: Token[], display: string, max: number, theme: Theme): TextRun[] {
  const cut = display.trimEnd().length > max;
  let room = cut ? max - 1 : max;
  const runs: TextRun[] = [];
  for (const t of tokens) {
    if (room <= 0) break;
    const text = t.text.length > room ? t.text.slice(0, room) : t.text;
    room -= text.length;
    runs.push({ text, fill: theme.syntax[t.kind] });
  }
  if (cut) runs.push({ text: "…", fill: theme.dim });
  return runs;
}

function listing(layout: Layout, theme: Theme, text: TextWriter): string {
  const display = layout.model.lines.map(expandTabs);
  const tokens = highlightLines(display);
  const out: string[] = [];
  for (const row of layout.rows) {
    const base = row.y + SIZE.row / 2 + 4.5;
    if (row.line === null) {
      if (row.folded > 0)
        out.push(
          text(
            layout.codeX,
            base,
            [{ text: `… ${row.folded} line${row.folded === 1 ? "" : "s"} not shown`, fill: theme.dim }],
            {
              size: 11.5,
              attrs: ' class="fold"',
            },
          ),
        );
      continue;
    }
    const dim = layout.dimmed.has(row.line);
    out.push(
      `<g class="line" data-line="${row.line}"${dim ? ` data-skipped="true" opacity="${theme.skippedOpacity}"` : ""}>`,
      text(layout.lineNumberX, base, [{ text: String(row.line), fill: theme.lineNumber }], {
        size: 12,
        anchor: "end",
      }),
      text(
        layout.codeX,
        base,
        codeRuns(tokens[row.line - 1] ?? [], display[row.line - 1] ?? "", layout.codeChars, theme),
        {
          size: SIZE.font,
        },
      ),
      "</g>",
    );
  }
  return `<g class="listing">${out.join("")}</g>`;
}

function laneData(group: Group, index: number): Record<string, string | number> {
  if (group.kind === "with") {
    const f = group.drawn[index];
    if (!f) return {};
    return {
      kind: "with",
      line: group.statement.line,
      run: f.run,
      entered: String(f.entered),
      got: f.exitGot ?? "None",
      suppressed: String(f.suppressed),
      outcome: f.outcome.report,
      "outcome-kind": f.outcome.kind,
      exception: f.outcome.exception ?? "",
    };
  }
  const f = group.drawn[index];
  if (!f) return {};
  const clause = (c: { kind: string; header: number }) => `${c.kind}@${c.header}`;
  const p = f.pending;
  return {
    kind: "try",
    line: group.statement.line,
    run: f.run,
    ran: f.clauses
      .filter((c) => c.ran)
      .map(clause)
      .join(","),
    skipped: f.clauses
      .filter((c) => !c.ran)
      .map(clause)
      .join(","),
    raise: f.raise?.type ?? "",
    "raise-line": f.raise?.line ?? "",
    pending: p === null ? "" : p.kind === "exception" ? `exception:${p.type}` : p.kind,
    outcome: f.outcome.report,
    "outcome-kind": f.outcome.kind,
    exception: f.outcome.exception ?? "",
  };
}

function lane(l: Lane, layout: Layout, theme: Theme, text: TextWriter): string {
  const out: string[] = [`<g class="run"${attrs(laneData(l.group, l.index))}>`];
  const cx = l.x;
  const bar = (from: number, to: number, colour: string) => {
    const span = rowSpan(layout, from, to);
    if (!span) return;
    const y = rowTop(layout, span[0]) + 3;
    const h = rowTop(layout, span[1]) + SIZE.row - 3 - y;
    out.push(
      `<rect x="${n(cx - 3)}" y="${y}" width="6" height="${Math.max(h, 4)}" rx="3" fill="${colour}"/>`,
    );
  };
  const dashed = (from: number, to: number) => {
    const span = rowSpan(layout, from, to);
    if (!span) return;
    const y1 = rowTop(layout, span[0]) + 4;
    const y2 = rowTop(layout, span[1]) + SIZE.row - 4;
    out.push(
      `<line x1="${n(cx)}" y1="${y1}" x2="${n(cx)}" y2="${y2}" stroke="${theme.dim}" stroke-width="1.5" stroke-dasharray="2 3"/>`,
    );
  };
  const g = l.group;
  if (g.kind === "with") {
    const f = g.drawn[l.index];
    if (f?.entered) bar(g.statement.line, g.statement.end, theme.colour.with);
    else dashed(g.statement.line, g.statement.end);
  } else {
    const f = g.drawn[l.index];
    if (f) {
      for (const clause of g.statement.clauses) {
        const ran = f.clauses.find((c) => c.header === clause.header)?.ran ?? false;
        if (!ran) {
          dashed(clause.header, clause.last);
          continue;
        }
        const stop =
          clause.kind === "try" ? bodyStop(clause, f.raise?.line ?? null, layout.model.groups) : clause.last;
        bar(clause.header, stop, theme.colour[clause.kind]);
        if (stop < clause.last) dashed(stop + 1, clause.last);
      }
      const raiseRows = f.raise?.line != null ? layout.rowsOf.get(f.raise.line) : undefined;
      // A raise inside the statement is a dot on its lane; one in a called function is named by its mark.
      if (raiseRows && raiseRows[0] >= l.first && raiseRows[0] <= l.last) {
        const cy = rowTop(layout, raiseRows[0]) + SIZE.row / 2;
        out.push(
          `<circle class="raise" cx="${n(cx)}" cy="${cy}" r="5" fill="${theme.colour.raise}" stroke="${theme.background}" stroke-width="1.5"/>`,
        );
      }
    }
  }
  if (g.total > 1) {
    const run = String(g.drawn[l.index]?.run ?? "");
    const cy = rowTop(layout, l.first) + SIZE.row / 2;
    const colour = g.kind === "with" ? theme.colour.with : theme.colour.try;
    const size = run.length <= 2 ? 9 : 7.5;
    const r = Math.max(7, (run.length * charWidth(size)) / 2 + 2);
    out.push(
      `<circle cx="${n(cx)}" cy="${cy}" r="${n(r)}" fill="${theme.background}" stroke="${colour}" stroke-width="1.5"/>`,
      text(cx, cy + size * 0.36, [{ text: run, fill: theme.text }], { size, bold: true, anchor: "middle" }),
    );
  }
  out.push("</g>");
  return out.join("");
}

function mark(p: PlacedMark, row: Row, theme: Theme, text: TextWriter): string {
  const m = p.mark;
  const data: Record<string, string | number> = {
    mark: m.kind,
    line: m.line,
    runs: m.runs.join(","),
    statement: m.statement ?? "",
    ...m.data,
  };
  const baseline = (i: number) => row.y + i * SIZE.row + SIZE.row / 2 + 4;
  const fs = SIZE.markFont;
  const rows = p.lines.length;
  if (m.kind === "output") {
    const num = m.data.n ?? "";
    const dw = discWidth(num);
    const colour = m.tone === "stderr" ? theme.colour.raise : theme.text;
    return [
      `<g class="mark"${attrs(data)}>`,
      `<rect x="${n(p.x)}" y="${n(row.y + 2.5)}" width="${n(dw)}" height="15" rx="7.5" fill="${theme.dim}"/>`,
      text(p.x + dw / 2, row.y + 13.5, [{ text: num, fill: theme.background }], {
        size: 9.5,
        bold: true,
        anchor: "middle",
      }),
      ...p.lines.map((l, i) => text(p.x + dw + 4, baseline(i), [{ text: l, fill: colour }], { size: fs })),
      "</g>",
    ].join("");
  }
  const colour = m.tone === "output" || m.tone === "stderr" ? theme.text : theme.colour[m.tone];
  const label: TextRun[] = p.label ? [{ text: `${p.label} `, fill: theme.text, bold: true }] : [];
  return [
    `<g class="mark"${attrs(data)}>`,
    `<rect x="${n(p.x)}" y="${row.y + 2}" width="${n(p.width)}" height="${rows * SIZE.row - 4}" rx="4" fill="${colour}" fill-opacity="${theme.badgeOpacity}"/>`,
    ...p.lines.map((l, i) =>
      text(p.x + 6, baseline(i), [...(i === 0 ? label : []), { text: l, fill: colour }], { size: fs }),
    ),
    "</g>",
  ].join("");
}

const LEGEND: { key: keyof Theme["colour"]; label: string }[] = [
  { key: "try", label: "try" },
  { key: "except", label: "except" },
  { key: "else", label: "else" },
  { key: "finally", label: "finally" },
  { key: "with", label: "with" },
];

function footer(layout: Layout, theme: Theme, text: TextWriter): string {
  const kinds = new Set<string>();
  for (const g of layout.model.groups) {
    if (g.kind === "with") kinds.add("with");
    else for (const f of g.drawn) for (const c of f.clauses) if (c.ran) kinds.add(c.kind);
  }
  const fs = SIZE.noteFont;
  const ch = charWidth(fs);
  let x = SIZE.pad;
  const y = layout.footerY;
  const out: string[] = [
    `<g class="footer">`,
    `<line x1="${SIZE.pad}" y1="${y - 6}" x2="${layout.width - SIZE.pad}" y2="${y - 6}" stroke="${theme.rule}"/>`,
  ];
  const chip = (colour: string, label: string, opacity = 1) => {
    out.push(
      `<rect x="${n(x)}" y="${y + 2}" width="10" height="10" rx="2" fill="${colour}" fill-opacity="${opacity}"/>`,
      text(x + 14, y + 11, [{ text: label, fill: theme.dim }], { size: fs }),
    );
    x += 14 + label.length * ch + 14;
  };
  for (const l of LEGEND) if (kinds.has(l.key)) chip(theme.colour[l.key], l.label);
  if (layout.model.marks.some((m) => m.kind === "raise")) chip(theme.colour.raise, "raised");
  if (layout.dimmed.size > 0) chip(theme.dim, "dim: did not run", theme.skippedOpacity);
  layout.notes.forEach((note, i) => {
    out.push(
      text(SIZE.pad, y + 11 + (i + 1) * SIZE.footerLine, [{ text: note, fill: theme.dim }], {
        size: fs,
        attrs: ' class="note"',
      }),
    );
  });
  out.push("</g>");
  return out.join("");
}

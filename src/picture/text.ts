// Text in the picture, written one of two ways from the same call: as SVG <text> (the SVG a reader or
// a test looks at), or as glyph outlines (<path>) for rasterising. resvg shapes every <text> on every
// render, which was most of a picture's cost; the font is monospace with no ligatures, so placing
// cached outlines at fixed advances draws the same glyphs (test/picture compares the pixels).
import { Resvg } from "@resvg/resvg-js";

export interface TextRun {
  text: string;
  fill: string;
  bold?: boolean;
}

export interface TextStyle {
  size: number;
  anchor?: "start" | "middle" | "end";
  bold?: boolean;
  /** Extra attributes for the element, e.g. ` class="note"`. */
  attrs?: string;
}

export type TextWriter = (x: number, y: number, runs: TextRun[], style: TextStyle) => string;

/** DejaVu Sans Mono's advance width, as a share of the font size (1233/2048 of an em). */
export const ADVANCE = 1233 / 2048;

const n = (v: number): string => String(Math.round(v * 100) / 100);
const tenth = (v: number): string => String(Math.round(v * 10) / 10);

/** Control characters and lone surrogates (no glyph, and not allowed in XML) are drawn as "?". */
export function visible(text: string): string {
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff);
    out += ch === "\t" ? " " : bad ? "?" : ch;
  }
  return out;
}

/** Text for an XML text node or attribute: escaped, control characters shown as "?". */
export function esc(text: string): string {
  return visible(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

const length = (runs: TextRun[]): number => runs.reduce((s, r) => s + [...visible(r.text)].length, 0);

function startX(x: number, runs: TextRun[], style: TextStyle): number {
  const width = length(runs) * ADVANCE * style.size;
  return style.anchor === "end" ? x - width : style.anchor === "middle" ? x - width / 2 : x;
}

/** Plain SVG text: one <text>, a <tspan> per run whose colour or weight differs from the element's. */
export const svgText: TextWriter = (x, y, runs, style) => {
  const first = runs[0];
  if (!first) return "";
  const weight = style.bold ? ' font-weight="bold"' : "";
  const anchor = style.anchor && style.anchor !== "start" ? ` text-anchor="${style.anchor}"` : "";
  const body = runs
    .map((r) => {
      const own = r.fill !== first.fill || (r.bold ?? false) !== (first.bold ?? false);
      return own
        ? `<tspan fill="${r.fill}"${r.bold ? ' font-weight="bold"' : ""}>${esc(r.text)}</tspan>`
        : esc(r.text);
    })
    .join("");
  const firstBold = first.bold ? ' font-weight="bold"' : "";
  return `<text${style.attrs ?? ""} x="${n(x)}" y="${n(y)}" font-size="${style.size}"${weight || firstBold}${anchor} fill="${first.fill}" xml:space="preserve">${body}</text>`;
};

/** A glyph outline at font size GLYPH_SIZE, origin on the baseline: commands with absolute coordinates. */
type Outline = { cmd: string; xy: number[] }[];
const GLYPH_SIZE = 100;
const outlines = new Map<string, Outline>();

export function pathTextWriter(fontFiles: string[], family: string): TextWriter {
  const glyph = (ch: string, bold: boolean): Outline => {
    const key = `${bold ? "b" : "r"}${ch}`;
    const cached = outlines.get(key);
    if (cached) return cached;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><text x="0" y="0" font-size="${GLYPH_SIZE}" font-family="${family}"${bold ? ' font-weight="bold"' : ""} xml:space="preserve">${esc(ch)}</text></svg>`;
    const tree = new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: family },
    }).toString();
    const outline: Outline = [];
    for (const d of tree.matchAll(/ d="([^"]*)"/g)) {
      let cur: { cmd: string; xy: number[] } | null = null;
      for (const token of (d[1] as string).trim().split(/\s+/)) {
        if (/^[A-Za-z]$/.test(token)) {
          cur = { cmd: token, xy: [] };
          outline.push(cur);
        } else cur?.xy.push(Number(token));
      }
    }
    outlines.set(key, outline);
    return outline;
  };
  // A glyph as path data with relative coordinates after its first move, so only that move depends on
  // where the glyph stands: the rest is cached once per glyph, and short numbers keep the SVG small
  // (resvg's parse time grows with it). A tenth of a unit is a hundredth of a pixel at these sizes.
  const relative = new Map<string, { x0: number; y0: number; tail: string }>();
  const shape = (ch: string, bold: boolean) => {
    const key = `${bold ? "b" : "r"}${ch}`;
    let r = relative.get(key);
    if (r !== undefined) return r;
    const outline = glyph(ch, bold);
    const first = outline[0];
    r = { x0: first?.xy[0] ?? 0, y0: first?.xy[1] ?? 0, tail: "" };
    let cx = r.x0;
    let cy = r.y0;
    let sx = cx;
    let sy = cy;
    const parts: string[] = [];
    for (const { cmd, xy } of outline.slice(1)) {
      if (cmd === "Z") {
        parts.push("z");
        cx = sx;
        cy = sy;
        continue;
      }
      const coords: string[] = [];
      for (let i = 0; i < xy.length; i += 2)
        coords.push(tenth((xy[i] as number) - cx), tenth((xy[i + 1] as number) - cy));
      parts.push(`${cmd.toLowerCase()}${coords.join(" ")}`);
      cx = xy[xy.length - 2] as number;
      cy = xy[xy.length - 1] as number;
      if (cmd === "M") {
        sx = cx;
        sy = cy;
      }
    }
    r.tail = parts.join("");
    relative.set(key, r);
    return r;
  };
  const advance = ADVANCE * GLYPH_SIZE;
  const at = (ch: string, bold: boolean, col: number): string => {
    const g = shape(ch, bold);
    return `M${tenth(col * advance + g.x0)} ${tenth(g.y0)}${g.tail}`;
  };
  return (x, y, runs, style) => {
    const k = style.size / GLYPH_SIZE;
    const transform = `translate(${n(startX(x, runs, style))} ${n(y)}) scale(${Math.round(k * 100000) / 100000})`;
    const paths: string[] = [];
    let col = 0;
    for (const run of runs) {
      const d: string[] = [];
      for (const ch of visible(run.text)) {
        if (ch !== " ") d.push(at(ch, run.bold ?? style.bold ?? false, col));
        col++;
      }
      if (d.length > 0) paths.push(`<path fill="${run.fill}" d="${d.join("")}"/>`);
    }
    return paths.length === 0 ? "" : `<g${style.attrs ?? ""} transform="${transform}">${paths.join("")}</g>`;
  };
}

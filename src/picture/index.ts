// Pictures of the flow: a run drawn as its code with the path it took through each try and with
// statement. Drawn from the clause report and the source only (nothing is run), as SVG; rasterised
// to PNG for Discord and the command line.
//
//   drawFlow(report, source, { theme }) -> { svg, alt, width, height }
//   renderFlowPng(report, source, { theme }) -> { png, alt, width, height }
//   hasFlow(report): whether a try, with or raise ran (when the bot offers the picture)
//   flowReportOf(run): the fields of a run the picture reads (what to store to draw it later)
import { altText } from "./alt.js";
import { layoutFlow } from "./layout.js";
import { glyphText, rasterise } from "./raster.js";
import { writeSvg } from "./svg.js";
import { THEMES } from "./theme.js";
import type { FlowReport, Picture, PictureOptions } from "./types.js";

export type { FlowReport, Picture, PictureOptions, ThemeName } from "./types.js";
export { flowReportOf } from "./types.js";

const SYNTAX_ERRORS = new Set(["SyntaxError", "IndentationError", "TabError"]);

/** A try or with statement ran, or an exception was raised (and escaped) at a line of the program. */
export function hasFlow(report: Pick<FlowReport, "tries" | "withs" | "exception">): boolean {
  if (report.tries.length > 0 || (report.withs?.length ?? 0) > 0) return true;
  const e = report.exception;
  return e !== null && e.line !== null && !SYNTAX_ERRORS.has(e.type);
}

export function drawFlow(report: FlowReport, source: string, options: PictureOptions = {}): Picture {
  const layout = layoutFlow(report, source);
  const svg = writeSvg(layout, THEMES[options.theme ?? "dark"]);
  return { svg, alt: altText(layout.model), width: layout.width, height: layout.height };
}

export interface PngPicture {
  png: Buffer;
  alt: string;
  width: number;
  height: number;
}

export function renderFlowPng(report: FlowReport, source: string, options: PictureOptions = {}): PngPicture {
  const layout = layoutFlow(report, source);
  const svg = writeSvg(layout, THEMES[options.theme ?? "dark"], glyphText());
  return {
    png: rasterise(svg, layout.width, layout.height),
    alt: altText(layout.model),
    width: layout.width,
    height: layout.height,
  };
}

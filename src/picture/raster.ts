// SVG to PNG with resvg, using only DejaVu font files named here (Debian's fonts-dejavu-core, which
// scripts/setup.sh installs): no system font look-up, so the picture is the same on every machine.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { encodePng } from "./png.js";
import { FONT_FAMILY } from "./svg.js";
import { pathTextWriter, type TextWriter } from "./text.js";

export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
/** The two faces the picture uses; every symbol it draws is in them (test/picture checks). */
export const FONT_FILES = ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"];
/**
 * Pixels per SVG unit. A picture is shown about 550 px wide in a chat and fitted to the screen when
 * opened: a small one gets 2x (sharp on high-density screens); a large one (a long program) gets as
 * many pixels as a screen shows of it, about a megapixel, and never less than 1.25x, since rendering
 * and compressing cost grow with the pixels.
 */
export function pngScale(width: number, height: number): number {
  const fit = Math.sqrt(PIXEL_BUDGET / (width * height));
  return Math.min(2, Math.max(1.25, Math.floor(fit * 4) / 4));
}
const PIXEL_BUDGET = 1_100_000;

let checked: string[] | null = null;
let writer: TextWriter | null = null;

function fontFiles(): string[] {
  if (checked) return checked;
  const files = FONT_FILES.map((f) => join(FONT_DIR, f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0)
    throw new Error(
      `the picture's font is missing (${missing.join(", ")}): install Debian's fonts-dejavu-core (bash scripts/setup.sh does)`,
    );
  checked = files;
  return files;
}

/** Writes text as the fonts' glyph outlines, so resvg need not shape it (see ./text.ts). */
export function glyphText(): TextWriter {
  writer ??= pathTextWriter(fontFiles(), FONT_FAMILY);
  return writer;
}

export function rasterise(svg: string, width: number, height: number): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: pngScale(width, height) },
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: FONT_FAMILY,
      monospaceFamily: FONT_FAMILY,
    },
    textRendering: 1,
    shapeRendering: 2,
  });
  const image = resvg.render();
  // resvg's own PNG (RGBA, slower, about three times larger) only for an image that is not a drawing.
  return encodePng(image.pixels, image.width, image.height) ?? image.asPng();
}

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
 * Pixels per SVG unit. A picture is shown about 550 px wide in a chat and at full size when opened:
 * twice the SVG size keeps it sharp on high-density screens; a large picture (a long program) gets
 * 1.5x, still sharp at its natural size, because rendering and compressing cost grow with the pixels.
 */
export function pngScale(width: number, height: number): number {
  return width * height <= LARGE_PICTURE ? 2 : 1.5;
}
/** SVG area (units²) above which a picture is drawn at 1.5x: about 600 x 500. */
const LARGE_PICTURE = 300_000;

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
  return encodePng(image.pixels, image.width, image.height);
}

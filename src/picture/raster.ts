// SVG to PNG with resvg, using only DejaVu font files named here (Debian's fonts-dejavu-core, which
// scripts/setup.sh installs): no system font look-up, so the picture is the same on every machine.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { encodePng } from "./png.js";
import { FONT_FAMILY } from "./svg.js";

export const FONT_DIR = "/usr/share/fonts/truetype/dejavu";
/** The two faces the picture uses; every symbol it draws is in them (test/picture checks). */
export const FONT_FILES = ["DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"];
/** The PNG is drawn at twice the SVG size: shown about 550 px wide in a chat, it stays sharp when opened. */
export const PNG_SCALE = 2;

let checked: string[] | null = null;

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

export function rasterise(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: PNG_SCALE },
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

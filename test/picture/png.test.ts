// The picture's own PNG writer (src/picture/png.ts), read back with a decoder written here: every pixel of a
// drawing with up to 256 colours comes back exactly, runs of one colour that cross the end of a row
// included; more colours are reduced to 256 close ones; an image that is not a drawing is left to resvg.
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodePng } from "../../src/picture/png.js";

/** Decodes an 8-bit palette PNG with filter "none" on every row, as encodePng writes it, to RGB triples. */
function decode(png: Buffer): { width: number; height: number; rgb: number[][]; paletteSize: number } {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  let width = 0;
  let height = 0;
  let palette: number[][] = [];
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("ascii", at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 3]);
    } else if (type === "PLTE")
      palette = Array.from({ length: length / 3 }, (_, i) => [...data.subarray(i * 3, i * 3 + 3)]);
    else if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width + 1) * height);
  const rgb: number[][] = [];
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width + 1)]).toBe(0);
    for (let x = 0; x < width; x++) rgb.push(palette[raw[y * (width + 1) + 1 + x] as number] as number[]);
  }
  return { width, height, rgb, paletteSize: palette.length };
}

/** RGBA pixels (opaque) from a colour per pixel. */
function image(colours: number[][]): Uint8Array {
  return Uint8Array.from(colours.flatMap(([r, g, b]) => [r ?? 0, g ?? 0, b ?? 0, 255]));
}

describe("the picture's PNG writer", () => {
  it("gives back every pixel of a drawing with few colours, runs across row ends and single pixels alike", () => {
    const width = 7;
    const height = 6;
    const ink = [
      [30, 31, 34],
      [220, 220, 220],
      [255, 0, 0],
      [0, 128, 255],
    ];
    // Runs of 1 to 11 pixels, so many cross from one row into the next.
    const colours: number[][] = [];
    for (let run = 1, k = 0; colours.length < width * height; run = (run % 11) + 1, k++)
      for (let i = 0; i < run && colours.length < width * height; i++) colours.push(ink[k % 4] as number[]);
    const png = encodePng(image(colours), width, height);
    if (!png) throw new Error("a four-colour image was refused");
    const back = decode(png);
    expect([back.width, back.height]).toEqual([width, height]);
    expect(back.rgb).toEqual(colours);
  });

  it("reads the same bytes from a buffer that does not start on a 4-byte boundary", () => {
    const colours = Array.from({ length: 40 }, (_, i) => [i * 6, 255 - i * 6, (i * 37) % 256]);
    const aligned = image(colours);
    const shifted = new Uint8Array(aligned.length + 1).subarray(1);
    shifted.set(aligned);
    expect(encodePng(shifted, 8, 5)).toEqual(encodePng(aligned, 8, 5));
  });

  it("reduces more than 256 colours to 256 close ones", () => {
    const width = 40;
    const height = 25; // 1000 pixels, each its own shade of a gradient
    const colours = Array.from({ length: width * height }, (_, i) => [i % 256, (i >> 2) % 256, 128]);
    const png = encodePng(image(colours), width, height);
    if (!png) throw new Error("a gradient of 1000 colours was refused");
    const back = decode(png);
    expect(back.paletteSize).toBe(256);
    const worst = Math.max(
      ...back.rgb.map((c, i) =>
        Math.max(...c.map((v, k) => Math.abs(v - ((colours[i] as number[])[k] ?? 0)))),
      ),
    );
    expect(worst).toBeLessThanOrEqual(16);
  });

  it("leaves an image with more colours than a drawing has (a photograph) to another encoder", () => {
    const width = 256;
    const height = 160; // 40960 distinct colours
    const colours = Array.from({ length: width * height }, (_, i) => [i & 255, (i >> 8) & 255, 7]);
    expect(encodePng(image(colours), width, height)).toBeNull();
  });
});

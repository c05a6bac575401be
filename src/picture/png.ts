// A small PNG writer for the picture: an 8-bit palette (the drawing uses a few hundred colours, most
// of them anti-aliasing shades), which makes the file about a third of resvg's RGBA PNG, and faster
// to compress. Opaque pixels only (the picture has no transparency).
import { crc32, deflateSync } from "node:zlib";

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0);
  return Buffer.concat([head, data, crc]);
}

interface Box {
  colours: number[];
  weight: number;
}

const R = (c: number) => (c >> 16) & 255;
const G = (c: number) => (c >> 8) & 255;
const B = (c: number) => c & 255;
const CHANNELS = [R, G, B];

/** Median cut over the distinct colours, weighted by use: at most `max` colours, each box its weighted mean. */
function palette(
  counts: Map<number, number>,
  max: number,
): { colours: number[]; indexOf: Map<number, number> } {
  const all = [...counts.keys()];
  if (all.length <= max) return { colours: all, indexOf: new Map(all.map((c, i) => [c, i])) };
  const boxes: Box[] = [{ colours: all, weight: all.reduce((s, c) => s + (counts.get(c) ?? 0), 0) }];
  while (boxes.length < max) {
    // Split the box with the widest spread of colour, weighted by how many pixels it holds.
    let best = -1;
    let bestScore = 0;
    let bestChannel = 0;
    boxes.forEach((box, i) => {
      if (box.colours.length < 2) return;
      CHANNELS.forEach((ch, k) => {
        let lo = 255;
        let hi = 0;
        for (const c of box.colours) {
          const v = ch(c);
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        const score = (hi - lo) * Math.sqrt(box.weight);
        if (score > bestScore) {
          bestScore = score;
          best = i;
          bestChannel = k;
        }
      });
    });
    if (best < 0) break;
    const box = boxes[best] as Box;
    const ch = CHANNELS[bestChannel] as (c: number) => number;
    box.colours.sort((a, b) => ch(a) - ch(b));
    let acc = 0;
    let cut = 1;
    for (let i = 0; i < box.colours.length - 1; i++) {
      acc += counts.get(box.colours[i] as number) ?? 0;
      cut = i + 1;
      if (acc >= box.weight / 2) break;
    }
    const left = box.colours.slice(0, cut);
    const right = box.colours.slice(cut);
    const weigh = (cs: number[]) => cs.reduce((s, c) => s + (counts.get(c) ?? 0), 0);
    boxes.splice(best, 1, { colours: left, weight: weigh(left) }, { colours: right, weight: weigh(right) });
  }
  const colours: number[] = [];
  const indexOf = new Map<number, number>();
  boxes.forEach((box, i) => {
    let r = 0;
    let g = 0;
    let b = 0;
    for (const c of box.colours) {
      const w = counts.get(c) ?? 0;
      r += R(c) * w;
      g += G(c) * w;
      b += B(c) * w;
      indexOf.set(c, i);
    }
    const w = box.weight || 1;
    colours.push((Math.round(r / w) << 16) | (Math.round(g / w) << 8) | Math.round(b / w));
  });
  return { colours, indexOf };
}

/** RGBA pixels (alpha ignored: the picture is opaque) to an indexed-colour PNG. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const n = width * height;
  const keys = new Uint32Array(n);
  const counts = new Map<number, number>();
  let last = -1;
  let lastCount = 0;
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const k = ((rgba[p] as number) << 16) | ((rgba[p + 1] as number) << 8) | (rgba[p + 2] as number);
    keys[i] = k;
    // Runs of one colour are most of the picture: count them without a map look-up per pixel.
    if (k === last) lastCount++;
    else {
      if (last >= 0) counts.set(last, (counts.get(last) ?? 0) + lastCount);
      last = k;
      lastCount = 1;
    }
  }
  if (last >= 0) counts.set(last, (counts.get(last) ?? 0) + lastCount);
  const { colours, indexOf } = palette(counts, 256);
  const raw = Buffer.alloc((width + 1) * height);
  let prevKey = -1;
  let prevIndex = 0;
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    raw[row] = 0; // filter: none (best for flat colours and text)
    for (let x = 0; x < width; x++) {
      const k = keys[y * width + x] as number;
      if (k !== prevKey) {
        prevKey = k;
        prevIndex = indexOf.get(k) ?? 0;
      }
      raw[row + 1 + x] = prevIndex;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: palette
  const plte = Buffer.alloc(colours.length * 3);
  colours.forEach((c, i) => {
    plte[i * 3] = R(c);
    plte[i * 3 + 1] = G(c);
    plte[i * 3 + 2] = B(c);
  });
  return Buffer.concat([
    SIGNATURE,
    chunk("IHDR", ihdr),
    chunk("PLTE", plte),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

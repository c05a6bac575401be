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

// Colour keys are the pixel's 32-bit word without alpha: 0xBBGGRR.
const R = (c: number) => c & 255;
const G = (c: number) => (c >> 8) & 255;
const B = (c: number) => (c >> 16) & 255;
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
    colours.push((Math.round(b / w) << 16) | (Math.round(g / w) << 8) | Math.round(r / w));
  });
  return { colours, indexOf };
}

/** Colour -> slot in an open-addressing table: a Map look-up per anti-aliased pixel was most of the time. */
class ColourTable {
  keys: Int32Array;
  counts: Uint32Array;
  index: Uint8Array;
  size = 0;
  constructor(public capacity: number) {
    this.keys = new Int32Array(capacity).fill(-1);
    this.counts = new Uint32Array(capacity);
    this.index = new Uint8Array(capacity);
  }
  /** The slot of `key`, added with count 0 when new; null when the table must grow first. */
  slot(key: number): number | null {
    const mask = this.capacity - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> 16;
    for (;;) {
      h &= mask;
      const k = this.keys[h] as number;
      if (k === key) return h;
      if (k === -1) {
        if ((this.size + 1) * 2 > this.capacity) return null;
        this.keys[h] = key;
        this.size++;
        return h;
      }
      h++;
    }
  }
  grown(): ColourTable {
    const next = new ColourTable(this.capacity * 2);
    for (let h = 0; h < this.capacity; h++) {
      const k = this.keys[h] as number;
      if (k === -1) continue;
      const s = next.slot(k) as number;
      next.counts[s] = this.counts[h] as number;
    }
    return next;
  }
}

/** RGBA pixels (alpha ignored: the picture is opaque) to an indexed-colour PNG. */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const n = width * height;
  let table = new ColourTable(4096);
  // One 32-bit read per pixel (RGBA in memory is 0xAABBGGRR on little-endian machines; the palette
  // below reads the key the same way, so only the byte order inside the key matters).
  const words =
    rgba.byteOffset % 4 === 0
      ? new Uint32Array(rgba.buffer, rgba.byteOffset, n)
      : new Uint32Array(Uint8Array.from(rgba).buffer, 0, n);
  const keys = new Int32Array(n);
  let lastKey = -1;
  let lastSlot = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const key = (words[i] as number) & 0xffffff;
    keys[i] = key;
    if (key === lastKey) {
      run++;
      continue;
    }
    if (run > 0) table.counts[lastSlot] = (table.counts[lastSlot] as number) + run;
    lastKey = key;
    let slot = table.slot(key);
    while (slot === null) {
      table = table.grown();
      slot = table.slot(key);
    }
    lastSlot = slot;
    run = 1;
  }
  if (run > 0) table.counts[lastSlot] = (table.counts[lastSlot] as number) + run;
  const counts = new Map<number, number>();
  for (let h = 0; h < table.capacity; h++) {
    const k = table.keys[h] as number;
    if (k !== -1) counts.set(k, table.counts[h] as number);
  }
  const { colours, indexOf } = palette(counts, 256);
  for (let h = 0; h < table.capacity; h++) {
    const k = table.keys[h] as number;
    if (k !== -1) table.index[h] = indexOf.get(k) ?? 0;
  }
  const raw = Buffer.alloc((width + 1) * height);
  lastKey = -1;
  let lastIndex = 0;
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1); // raw[row] = 0: filter "none", the best for flat colours and text
    const from = y * width;
    for (let x = 0; x < width; x++) {
      const key = keys[from + x] as number;
      if (key !== lastKey) {
        lastKey = key;
        lastIndex = table.index[table.slot(key) as number] as number;
      }
      raw[row + 1 + x] = lastIndex;
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
    // Level 6: within 7% of level 9's size at a seventh of its time.
    chunk("IDAT", deflateSync(raw, { level: 6 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// A small PNG writer for the picture: an 8-bit palette (the drawing uses a few hundred colours, most
// of them anti-aliasing shades), which makes the file about a third of resvg's RGBA PNG, and faster
// to compress. Opaque pixels only (the picture has no transparency).
import { crc32, deflateSync, constants as zlibConstants } from "node:zlib";

const SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0);
  return Buffer.concat([head, data, crc]);
}

// Colour keys are the pixel's 32-bit word without alpha: 0xBBGGRR.
const R = (c: number) => c & 255;
const G = (c: number) => (c >> 8) & 255;
const B = (c: number) => (c >> 16) & 255;
const CHANNELS = [R, G, B];

/** A box of the median cut: its colours, the pixels they cover, and where it would best be split. */
interface Box {
  colours: number[];
  weight: number;
  /** Spread of its widest channel, weighted by how many pixels it holds (0: one colour, nothing to split). */
  score: number;
  channel: number;
}

function box(colours: number[], counts: Map<number, number>): Box {
  let weight = 0;
  for (const c of colours) weight += counts.get(c) ?? 0;
  let score = 0;
  let channel = 0;
  if (colours.length > 1)
    CHANNELS.forEach((ch, k) => {
      let lo = 255;
      let hi = 0;
      for (const c of colours) {
        const v = ch(c);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const s = (hi - lo) * Math.sqrt(weight);
      if (s > score) {
        score = s;
        channel = k;
      }
    });
  return { colours, weight, score, channel };
}

/** Median cut over the distinct colours, weighted by use: at most `max` colours, each box its weighted mean. */
function palette(
  counts: Map<number, number>,
  max: number,
): { colours: number[]; indexOf: Map<number, number> } {
  const all = [...counts.keys()];
  if (all.length <= max) return { colours: all, indexOf: new Map(all.map((c, i) => [c, i])) };
  const boxes: Box[] = [box(all, counts)];
  while (boxes.length < max) {
    // Split the box with the widest spread of colour, weighted by how many pixels it holds.
    let best = -1;
    for (let i = 0; i < boxes.length; i++)
      if ((boxes[i] as Box).score > 0 && (best < 0 || (boxes[i] as Box).score > (boxes[best] as Box).score))
        best = i;
    if (best < 0) break;
    const widest = boxes[best] as Box;
    const ch = CHANNELS[widest.channel] as (c: number) => number;
    widest.colours.sort((a, b) => ch(a) - ch(b));
    let acc = 0;
    let cut = 1;
    for (let i = 0; i < widest.colours.length - 1; i++) {
      acc += counts.get(widest.colours[i] as number) ?? 0;
      cut = i + 1;
      if (acc >= widest.weight / 2) break;
    }
    boxes.splice(best, 1, box(widest.colours.slice(0, cut), counts), box(widest.colours.slice(cut), counts));
  }
  const colours: number[] = [];
  const indexOf = new Map<number, number>();
  boxes.forEach((b, i) => {
    let red = 0;
    let green = 0;
    let blue = 0;
    for (const c of b.colours) {
      const w = counts.get(c) ?? 0;
      red += R(c) * w;
      green += G(c) * w;
      blue += B(c) * w;
      indexOf.set(c, i);
    }
    const w = b.weight || 1;
    colours.push((Math.round(blue / w) << 16) | (Math.round(green / w) << 8) | Math.round(red / w));
  });
  return { colours, indexOf };
}

/** Slots of the colour table: a drawing has a few thousand colours at most (anti-aliasing shades). */
const TABLE_SLOTS = 1 << 16;
const TABLE_FULL = TABLE_SLOTS / 2;

/** The image as runs of one colour (a drawing has long ones): where each run starts, its colour's slot in
 *  an open-addressing table, and how many pixels each colour covers; null when the image has more colours
 *  than the table holds. A Map look-up per anti-aliased pixel was most of a picture's encoding time once. */
function colourRuns(words: Int32Array): {
  keys: Int32Array;
  counts: Uint32Array;
  starts: Int32Array;
  runSlots: Uint16Array;
  runs: number;
} | null {
  const n = words.length;
  const keys = new Int32Array(TABLE_SLOTS).fill(-1);
  const counts = new Uint32Array(TABLE_SLOTS);
  // Room for a run every 16 pixels, grown when a busier image needs more (zeroing n-sized arrays was slow).
  let starts = new Int32Array((n >> 4) + 2);
  let runSlots = new Uint16Array(starts.length);
  let used = 0;
  let runs = 0;
  let lastKey = -1;
  for (let i = 0; i < n; i++) {
    const key = (words[i] as number) & 0xffffff;
    if (key === lastKey) continue;
    lastKey = key;
    let h = Math.imul(key, 0x9e3779b1) >>> 16;
    for (;;) {
      const k = keys[h] as number;
      if (k === key) break;
      if (k === -1) {
        if (++used > TABLE_FULL) return null;
        keys[h] = key;
        break;
      }
      h = (h + 1) & (TABLE_SLOTS - 1);
    }
    if (runs + 1 >= starts.length) {
      const more = Math.min(n + 1, starts.length * 2);
      starts = grow(starts, new Int32Array(more));
      runSlots = grow(runSlots, new Uint16Array(more));
    }
    starts[runs] = i;
    runSlots[runs] = h;
    runs++;
  }
  starts[runs] = n;
  for (let r = 0; r < runs; r++) {
    const slot = runSlots[r] as number;
    counts[slot] = (counts[slot] as number) + ((starts[r + 1] as number) - (starts[r] as number));
  }
  return { keys, counts, starts, runSlots, runs };
}

function grow<T extends Int32Array | Uint16Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The PNG's rows from the runs: a filter byte (0, "none": the best for flat colours and text), then
 *  palette indexes, each run filled at once (split where it crosses the end of a row). */
function indexedRows(
  image: { starts: Int32Array; runSlots: Uint16Array; runs: number },
  slotIndex: Uint8Array,
  width: number,
  height: number,
): Buffer {
  const raw = new Uint8Array((width + 1) * height);
  const { starts, runSlots, runs } = image;
  for (let r = 0; r < runs; r++) {
    const value = slotIndex[runSlots[r] as number] as number;
    let i = starts[r] as number;
    const end = starts[r + 1] as number;
    while (i < end) {
      const y = (i / width) | 0;
      const rowEnd = Math.min(end, (y + 1) * width);
      // y * (width + 1) + 1 + (i - y * width): one filter byte before each row. A plain loop: most runs are
      // a few anti-aliased pixels, too short for a fill() call to pay.
      for (let o = i + y + 1, last = rowEnd + y + 1; o < last; o++) raw[o] = value;
      i = rowEnd;
    }
  }
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * RGBA pixels (alpha ignored: the picture is opaque) to an indexed-colour PNG; null when the image has
 * more colours than the table holds (not a drawing: let the caller encode it some other way).
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer | null {
  const n = width * height;
  // One 32-bit read per pixel (0xAABBGGRR on little-endian machines: the key is the word without alpha).
  const words =
    rgba.byteOffset % 4 === 0
      ? new Int32Array(rgba.buffer, rgba.byteOffset, n)
      : new Int32Array(Uint8Array.from(rgba).buffer, 0, n);
  const image = colourRuns(words);
  if (!image) return null;
  const { keys, counts } = image;
  const byColour = new Map<number, number>();
  for (let h = 0; h < TABLE_SLOTS; h++)
    if ((keys[h] as number) !== -1) byColour.set(keys[h] as number, counts[h] as number);
  const { colours, indexOf } = palette(byColour, 256);
  const slotIndex = new Uint8Array(TABLE_SLOTS);
  for (let h = 0; h < TABLE_SLOTS; h++)
    if ((keys[h] as number) !== -1) slotIndex[h] = indexOf.get(keys[h] as number) ?? 0;
  const raw = indexedRows(image, slotIndex, width, height);
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
    // Run-length deflate: palette rows are long runs; a fifth of level 6's time for a fifth more bytes.
    chunk("IDAT", deflateSync(raw, { level: 6, strategy: zlibConstants.Z_RLE })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

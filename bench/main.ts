// `npm run bench`: every area's figures measured in one run, as ratios against baselines measured in the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchModule, BenchRow } from "./types.js";

const areas: Record<string, () => Promise<BenchModule>> = {
  sandbox: () => import("./sandbox.js"),
  tracer: () => import("./tracer.js"),
  bot: () => import("./bot.js"),
  picture: () => import("./picture.js"),
  startup: () => import("./startup.js"),
  misconceptions: () => import("./misconceptions.js"),
  queue: () => import("./queue.js"),
  playground: () => import("./playground.js"),
};

const only = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, load] of Object.entries(areas)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await (await load()).run()));
}

const fmt = (r: BenchRow) =>
  `${Number.isInteger(r.value) ? r.value : r.value.toFixed(r.unit === "x" ? 2 : 1)} ${r.unit}`;
const table = rows.map((r) => [
  r.area,
  r.name,
  fmt(r),
  r.target ?? "",
  r.ok === undefined ? "" : r.ok ? "met" : "MISSED",
  r.note ?? "",
]);
const head = ["area", "measure", "value", "target", "", "note"];
const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)));
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
console.log(line(head));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const row of table) console.log(line(row));

const dir = join(import.meta.dirname, "results");
mkdirSync(dir, { recursive: true });
const file = join(dir, "latest.json");
writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), rows }, null, 2)}\n`);
console.log(`\nwritten to ${file}`);
process.exitCode = rows.some((r) => r.ok === false) ? 1 : 0;

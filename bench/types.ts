// One measured figure. `npm run bench` prints every row as a table and writes them all to bench/results/latest.json.
export interface BenchRow {
  area: string;
  name: string;
  value: number;
  unit: string;
  /** The target as text ("<= 0.5x"), when there is one. */
  target?: string;
  /** Whether the target is met; undefined when there is no target. */
  ok?: boolean;
  note?: string;
}

export type BenchModule = { run: () => Promise<BenchRow[]> };

// Misconceptions: what deriving the wrong answers costs. Per program, one sandbox run of the misconception
// rules against one run of the program itself (both measured here, in the same run); and the quiz engine's
// start-up on a fresh database (every answer and wrong answer derived) against a warm one (all cached: the
// bot start that matters, which must run no code at all).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LESSONS_DIR, loadLessons } from "../src/lessons/index.js";
import { openSandboxRunner } from "../src/lessons/runner.js";
import type { CodeRunner } from "../src/lessons/types.js";
import { runVariants } from "../src/misconceptions/index.js";
import { createQuizEngine } from "../src/quiz/index.js";
import { openStore } from "../src/store/db.js";
import type { BenchRow } from "./types.js";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

export async function run(): Promise<BenchRow[]> {
  const sandbox = await openSandboxRunner();
  const dir = mkdtempSync(join(tmpdir(), "tutor-bench-misc-"));
  try {
    const lessons = await loadLessons(LESSONS_DIR);
    const programs = [
      ...new Set(lessons.flatMap((l) => l.sections.flatMap((s) => s.questions.map((q) => q.code.source)))),
    ];
    // One at a time, so the two kinds of run see the same machine.
    const ratios: number[] = [];
    for (const code of programs) {
      const t0 = performance.now();
      await sandbox.run({ code });
      const t1 = performance.now();
      await runVariants(code, sandbox.run);
      ratios.push((performance.now() - t1) / (t1 - t0));
    }
    let runs = 0;
    const counting: CodeRunner = (request) => {
      runs++;
      return sandbox.run(request);
    };
    const prepare = async () => {
      runs = 0;
      const t0 = performance.now();
      const store = await openStore(join(dir, "bench.db"));
      await createQuizEngine({ store, lessons, runner: counting }).prepare();
      await store.close();
      return { ms: performance.now() - t0, runs };
    };
    const fresh = await prepare();
    const warm = await prepare();
    return [
      {
        area: "misconceptions",
        name: "rules run / program run, p50 over the lessons' programs",
        value: percentile(ratios, 50),
        unit: "x",
        note: `p90 ${percentile(ratios, 90).toFixed(2)}x, ${programs.length} programs`,
      },
      {
        area: "misconceptions",
        name: "quiz engine prepare, fresh database",
        value: fresh.ms,
        unit: "ms",
        note: `${fresh.runs} sandbox runs (program + rules, once per distinct program)`,
      },
      {
        area: "misconceptions",
        name: "quiz engine prepare, warm database (a restart)",
        value: warm.ms,
        unit: "ms",
        target: "no sandbox run",
        ok: warm.runs === 0,
        note: `${warm.runs} sandbox runs; ${(warm.ms / fresh.ms).toFixed(3)}x the fresh start`,
      },
    ];
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

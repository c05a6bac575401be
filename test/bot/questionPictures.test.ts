// The questions' pictures (src/bot/questionPictures.ts): drawn once per question and run (on the picture
// thread), ahead of the first answers, and drawn anew when the run they were drawn from changes. On the real quiz engine, whose answers
// (and runs) come from the real sandbox, on a SQLite file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QuestionPictures } from "../../src/bot/questionPictures.js";
import { loadLessons } from "../../src/lessons/index.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import type { FlowReport } from "../../src/picture/index.js";
import { pictureRenderer } from "../../src/picture/offThread.js";
import { createQuizEngine, type QuizEngine } from "../../src/quiz/index.js";
import { openStore, type Store } from "../../src/store/db.js";
import { sandboxSkipReason } from "../sandboxGate.js";

const fixtures = new URL("../lessons/fixtures/valid/", import.meta.url).pathname;
const unavailable = await sandboxSkipReason();

let sandbox: SandboxRunner;
let store: Store;
let engine: QuizEngine;
const renderer = pictureRenderer();
const dir = mkdtempSync(join(tmpdir(), "tutor-pictures-"));

beforeAll(async () => {
  if (unavailable !== null) return;
  sandbox = await openSandboxRunner();
  store = await openStore(join(dir, "t.db"));
  engine = createQuizEngine({ store, lessons: await loadLessons(fixtures), runner: sandbox.run });
  await engine.prepare();
}, 120_000);
afterAll(async () => {
  await renderer.close();
  await store?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every question of the lessons with a picture worth drawing: its key, run and code. */
function pictured(): { key: string; flow: FlowReport; code: string }[] {
  return engine
    .lessons()
    .flatMap((l) => l.sections.flatMap((s) => s.questions))
    .map((q) => ({
      key: q.key,
      flow: engine.answer({ key: q.key, seed: "", choiceIds: [] }).flow,
      code: engine.presentQuestion(q.key, "").code,
    }))
    .filter(
      (q): q is { key: string; flow: FlowReport; code: string } => q.flow !== null && q.flow.tries.length > 0,
    );
}

const pngOf = async (pictures: QuestionPictures, q: { key: string; flow: FlowReport; code: string }) =>
  (await pictures.attachment(q.key, q.flow, q.code)).attachment as Buffer;

describe.skipIf(unavailable !== null)(
  `the questions' pictures${unavailable ? ` (skipped: no sandbox here: ${unavailable})` : ""}`,
  () => {
    it("draws every question's picture ahead of the answers, once", async () => {
      const questions = pictured();
      expect(questions.length).toBeGreaterThan(0);
      const pictures = new QuestionPictures(renderer);
      expect(await pictures.warm(engine, () => false)).toBeGreaterThanOrEqual(questions.length);
      expect(await pictures.warm(engine, () => false)).toBe(0); // nothing left to draw
      for (const q of questions) {
        const png = await pngOf(pictures, q);
        expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join("")).toBe("PNG");
        expect(await pngOf(pictures, q)).toBe(png); // the very same bytes: not drawn again
      }
    });

    it("draws a question anew when its run changed (answers derived again), and stops warming when told", async () => {
      const [q] = pictured();
      if (!q) throw new Error("no pictured question in the fixtures");
      const pictures = new QuestionPictures(renderer);
      const first = await pngOf(pictures, q);
      const rerun = { ...q, flow: structuredClone(q.flow) };
      const second = await pngOf(pictures, rerun);
      expect(second).not.toBe(first);
      expect(second.equals(first)).toBe(true); // the same run drawn again: the same picture
      expect(await new QuestionPictures(renderer).warm(engine, () => true)).toBe(0);
    });
  },
);

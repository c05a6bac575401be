// The quiz engine against the real sandbox and a real store (a SQLite file, a PostgreSQL database): answers derived once and cached,
// reproducible choice order, checking, scoring, and missed questions coming back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Lesson, loadLessons } from "../../src/lessons/index.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import { type CodeRunner, createQuizEngine, type QuizEngine, QuizError } from "../../src/quiz/index.js";
import type { StoreLocation } from "../../src/store/db.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { storeEngines } from "../services/stores.js";

const fixtures = new URL("../lessons/fixtures/valid/", import.meta.url).pathname;
const MINUTE = 60_000;

// Every answer comes from a real sandbox run; on a machine that cannot isolate code these tests cannot run.
const unavailable = await sandboxSkipReason();

let sandbox: SandboxRunner;
let lessons: Lesson[];
let runs = 0;
/** The real sandbox, counting how often it is asked to run code. */
const countingRunner: CodeRunner = (request) => {
  runs++;
  return sandbox.run(request);
};

beforeAll(async () => {
  if (unavailable !== null) return;
  sandbox = await openSandboxRunner();
  lessons = await loadLessons(fixtures);
});
afterAll(async () => {
  await sandbox?.close();
});

const engines = storeEngines();

describe.skipIf(unavailable !== null)(
  `quiz engine${unavailable ? ` (skipped: no sandbox here: ${unavailable})` : ""}`,
  () => {
    for (const engine of engines)
      describe.skipIf(engine.skip !== null)(engine.title, () => {
        const places = new Map<string, StoreLocation>();
        /** An engine on the store called `name` (the same store each time for one name). */
        async function engineAt(
          name: string,
          clock: () => number = Date.now,
          list: Lesson[] = lessons,
        ): Promise<QuizEngine> {
          let where = places.get(name);
          if (!where) {
            where = await engine.location();
            places.set(name, where);
          }
          return createQuizEngine({
            store: await engine.open(where),
            lessons: list,
            runner: countingRunner,
            clock,
          });
        }

        it("derives every answer once, then serves them from the cache in the store", async () => {
          runs = 0;
          const first = await (await engineAt("cache.db")).prepare();
          expect(first).toEqual({ questions: 4, cached: 0, derived: 4, unavailable: [] });
          expect(runs).toBe(2); // two programs, shared by four questions

          runs = 0;
          const again = await (await engineAt("cache.db")).prepare();
          expect(again).toEqual({ questions: 4, cached: 4, derived: 0, unavailable: [] });
          expect(runs).toBe(0);

          // Editing a program changes its content hash: only the questions on that program are derived again.
          const edited = structuredClone(lessons);
          const escaping = edited[0]?.sections[1];
          if (!escaping?.questions[0]) throw new Error("fixture changed");
          escaping.questions[0].code = {
            ...escaping.code,
            source: escaping.code.source.replace('"ten"', '"twelve"'),
          };
          runs = 0;
          const afterEdit = await (await engineAt("cache.db", Date.now, edited)).prepare();
          expect(afterEdit).toMatchObject({ cached: 3, derived: 1 });
          expect(runs).toBe(1);
        });

        it("refuses to play before prepare()", async () => {
          const engine = await engineAt("unprepared.db");
          expect(() => engine.presentQuestion("basics/first", "s")).toThrow(QuizError);
        });

        it("presents choices in a reproducible order per seed, with button-sized labels", async () => {
          const engine = await engineAt("present.db");
          await engine.prepare();
          const a = engine.presentQuestion("basics/whole", "round-1");
          expect(engine.presentQuestion("basics/whole", "round-1")).toEqual(a);
          const orders = new Set(
            Array.from({ length: 20 }, (_, i) =>
              engine
                .presentQuestion("basics/whole", `round-${i}`)
                .choices.map((c) => c.text)
                .join("|"),
            ),
          );
          expect(orders.size).toBeGreaterThan(1);
          expect(a.choices.map((c) => c.id)).toEqual(["A", "B", "C"]);
          expect(a.choices.map((c) => c.label)).toEqual(["Output A", "Output B", "Output C"]);
          for (const c of engine.presentQuestion("basics/first", "x").choices)
            expect(c.label.length).toBeLessThanOrEqual(80);

          const clauses = engine.presentQuestion("basics/clauses-second", "round-1");
          expect(clauses.multi).toBe(true);
          expect(clauses.choices.map((c) => c.id)).toEqual(["try", "except", "else", "finally"]);
        });

        it("checks answers against what the sandbox run really did", async () => {
          const engine = await engineAt("answer.db");
          await engine.prepare();
          const textOf = (key: string, seed: string, id: string) =>
            engine.presentQuestion(key, seed).choices.find((c) => c.id === id)?.text;

          const first = engine.answer({ key: "basics/first", seed: "s1", choiceIds: [] });
          expect(first.correct).toBe(false);
          expect(first.correctChoiceIds).toHaveLength(1);
          expect(textOf("basics/first", "s1", first.correctChoiceIds[0] ?? "")).toBe("good 7");
          expect(
            engine.answer({ key: "basics/first", seed: "s1", choiceIds: first.correctChoiceIds }).correct,
          ).toBe(true);

          const whole = engine.answer({ key: "basics/whole", seed: "s2", choiceIds: [] });
          expect(textOf("basics/whole", "s2", whole.correctChoiceIds[0] ?? "")).toBe(
            "good 7\nend 7\nbad x\nend x\n7",
          );

          const clauses = engine.answer({
            key: "basics/clauses-second",
            seed: "s3",
            choiceIds: ["try", "except", "finally"],
          });
          expect(clauses).toMatchObject({
            correct: true,
            correctChoiceIds: ["try", "except", "finally"],
            points: 100,
          });
          expect(
            engine.answer({ key: "basics/clauses-second", seed: "s3", choiceIds: ["try", "finally"] })
              .correct,
          ).toBe(false);

          const escaped = engine.answer({ key: "basics/escape", seed: "s4", choiceIds: [] });
          expect(textOf("basics/escape", "s4", escaped.correctChoiceIds[0] ?? "")).toBe(
            "TypeError escapes to the caller",
          );
          expect(escaped.explanation).toContain("TypeError");

          // Scoring goes through the same answer: a hint halves the points, speed counts in group rounds.
          const right = { key: "basics/escape", seed: "s4", choiceIds: escaped.correctChoiceIds };
          expect(engine.answer({ ...right, hintUsed: true }).points).toBe(50);
          expect(engine.answer({ ...right, mode: "group", elapsedMs: 0, roundMs: 30_000 }).points).toBe(150);
          expect(engine.answer({ ...right, mode: "group", elapsedMs: 15_000, roundMs: 30_000 }).points).toBe(
            125,
          );
        });

        it("brings a missed question back when it is due, after the unseen ones in the meantime", async () => {
          let now = Date.UTC(2026, 0, 1);
          const engine = await engineAt("leitner.db", () => now);
          await engine.prepare();
          const member = { guildId: "g1", memberId: "m1" };
          const draw = () => engine.drawQuestion({ lessonId: "basics", ...member, seed: "d" });

          expect(await draw()).toBe("basics/first");
          await engine.recordAnswer({ ...member, key: "basics/first", correct: false, points: 0 });
          now += 5 * MINUTE;
          expect(await draw()).toBe("basics/whole"); // not due yet: the next unseen question comes first
          expect((await engine.progress("m1", "g1")).dueForReview).toBe(0);
          now += 6 * MINUTE;
          expect((await engine.progress("m1", "g1")).dueForReview).toBe(1);
          expect(await draw()).toBe("basics/first"); // due again
          await engine.recordAnswer({ ...member, key: "basics/first", correct: true, points: 100 });
          expect(await draw()).toBe("basics/whole");
          expect(await engine.drawQuestion({ lessonId: "basics", sectionId: "escaping", ...member })).toBe(
            "basics/escape",
          );
          expect(await engine.drawQuestion({ lessonId: "nope" })).toBeNull();

          const progress = await engine.progress("m1", "g1");
          expect(progress).toMatchObject({ answered: 2, correct: 1, points: 100, dueForReview: 0 });
          expect(progress.lessons).toEqual([
            { lessonId: "basics", title: "A tiny lesson for tests", total: 4, seen: 1, mastered: 0 },
          ]);
        });

        it("ranks members of one server by points", async () => {
          const engine = await engineAt("board.db");
          await engine.prepare();
          await engine.recordAnswer({
            guildId: "g",
            memberId: "ann",
            key: "basics/first",
            correct: true,
            points: 150,
          });
          await engine.recordAnswer({
            guildId: "g",
            memberId: "bob",
            key: "basics/first",
            correct: true,
            points: 100,
          });
          await engine.recordAnswer({
            guildId: "g",
            memberId: "bob",
            key: "basics/whole",
            correct: true,
            points: 100,
          });
          await engine.recordAnswer({
            guildId: "other",
            memberId: "cat",
            key: "basics/first",
            correct: true,
            points: 900,
          });
          expect(await engine.leaderboard("g")).toEqual([
            { memberId: "bob", points: 200, correct: 2, answered: 2 },
            { memberId: "ann", points: 150, correct: 1, answered: 1 },
          ]);
        });
      });
  },
);

// Mastery per concept: questions tagged from their misconceptions, misconceptions shown more than once,
// review that favours weak concepts, and a server's weakest concept. Pure rules first, then the engine
// on the real sandbox and a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Lesson, loadLessons } from "../../src/lessons/index.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import { masteryByConcept, weakest } from "../../src/quiz/concepts.js";
import { createQuizEngine, type QuizEngine } from "../../src/quiz/index.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { storeEngines } from "../services/stores.js";

describe("concept mastery (pure)", () => {
  const conceptsOf = (key: string) =>
    ({ a: ["finally-on-return", "propagation"], b: ["propagation"], c: ["else"] })[key];

  it("adds right and wrong answers per concept, weakest first, unanswered concepts left out", () => {
    const mastery = masteryByConcept(
      [
        { questionKey: "a", right: 1, wrong: 3 },
        { questionKey: "b", right: 4, wrong: 0 },
        { questionKey: "c", right: 0, wrong: 0 },
        { questionKey: "gone", right: 9, wrong: 9 },
      ],
      conceptsOf,
    );
    expect(mastery.map((m) => [m.concept, m.right, m.wrong, m.mastery])).toEqual([
      ["finally-on-return", 1, 3, 0.25],
      ["propagation", 5, 3, 0.625],
    ]);
    expect(mastery[0]?.about).toBe("finally and return / break / continue");
    expect(weakest(mastery)?.concept).toBe("finally-on-return");
  });

  it("has no weakest concept until something was missed", () => {
    expect(weakest(masteryByConcept([{ questionKey: "b", right: 2, wrong: 0 }], conceptsOf))).toBeNull();
  });
});

const unavailable = await sandboxSkipReason();
const fixtures = new URL("../lessons/fixtures/valid/", import.meta.url).pathname;

let sandbox: SandboxRunner;
let lessons: Lesson[];
let now = Date.UTC(2026, 0, 1);
beforeAll(async () => {
  if (unavailable !== null) return;
  sandbox = await openSandboxRunner();
  lessons = await loadLessons(fixtures);
});
afterAll(async () => {
  await sandbox?.close();
});

// On each store engine (SQLite, PostgreSQL): the misconceptions shown and the server's tallies are its queries.
const engines = storeEngines();

describe.skipIf(unavailable !== null)(
  `concepts in the quiz engine${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    for (const storeEngine of engines)
      describe.skipIf(storeEngine.skip !== null)(storeEngine.title, () => {
        /** An engine on a fresh store (the name only tells the tests apart). */
        async function engineAt(_name: string): Promise<QuizEngine> {
          const engine = createQuizEngine({
            store: await storeEngine.open(),
            lessons,
            runner: sandbox.run,
            clock: () => now,
          });
          await engine.prepare();
          return engine;
        }

        it("tags each question with the concepts of its misconceptions, and draws by concept", async () => {
          const engine = await engineAt("tags.db");
          const whole = engine.choicePool("basics/whole");
          expect(whole.concepts).toEqual(expect.arrayContaining(["finally-always", "try-flow"]));
          // Only questions testing a concept are drawn for it: this lesson has no `with`.
          const draw = (concept: string, i: number) =>
            engine.drawQuestion({ lessonId: "basics", concept, seed: `s${i}` });
          const drawn = async (concept: string, n: number) =>
            new Set(await Promise.all(Array.from({ length: n }, (_, i) => draw(concept, i))));
          expect(await drawn("with-exit", 10)).toEqual(new Set([null]));
          const elseQuestions = await drawn("else", 20);
          expect(elseQuestions.has(null)).toBe(false);
          for (const key of elseQuestions)
            expect(engine.choicePool(key as string).concepts).toContain("else");
        });

        it("reports mastery per concept and the misconceptions shown more than once", async () => {
          const engine = await engineAt("progress.db");
          const member = { guildId: "g", memberId: "m" };
          const wrongBy = (key: string, id: string) => {
            const seed = Array.from({ length: 60 }, (_, i) => `w${i}`).find((s) =>
              engine.presentQuestion(key, s).choices.some((c) => c.text === choiceText(key, id)),
            );
            const choice = engine
              .presentQuestion(key, seed as string)
              .choices.find((c) => c.text === choiceText(key, id));
            return engine.answer({ key, seed: seed as string, choiceIds: [choice?.id ?? ""] });
          };
          const choiceText = (key: string, id: string) =>
            engine.choicePool(key).choices.find((c) => c.misconceptions.some((m) => m.id === id))?.text;

          const first = wrongBy("basics/whole", "finally-only-on-error");
          expect(first.misconceptions).toContain("finally-only-on-error");
          await engine.recordAnswer({
            ...member,
            key: "basics/whole",
            correct: false,
            points: 0,
            misconceptions: first.misconceptions,
          });
          expect((await engine.progress("m", "g")).misconceptions).toEqual([]);
          now += 60_000;
          await engine.recordAnswer({
            ...member,
            key: "basics/whole",
            correct: false,
            points: 0,
            misconceptions: first.misconceptions,
          });
          const right = engine.answer({ key: "basics/first", seed: "r", choiceIds: [] }).correctChoiceIds;
          const ok = engine.answer({ key: "basics/first", seed: "r", choiceIds: right });
          await engine.recordAnswer({
            ...member,
            key: "basics/first",
            correct: true,
            points: ok.points,
            misconceptions: ok.misconceptions,
          });

          const progress = await engine.progress("m", "g");
          expect(progress.misconceptions.map((m) => [m.id, m.times])).toContainEqual([
            "finally-only-on-error",
            2,
          ]);
          const shown = progress.misconceptions.find((m) => m.id === "finally-only-on-error");
          expect(shown?.belief).toBe(
            "`finally` is another `except`: it runs only when something went wrong.",
          );
          expect(shown?.correction).toBe(
            "`finally` runs every time the try statement ends, error or no error.",
          );
          expect(progress.concepts.length).toBeGreaterThan(0);
          const finallyAlways = progress.concepts.find((c) => c.concept === "finally-always");
          expect(finallyAlways?.wrong).toBe(2);
          expect(progress.concepts[0]?.mastery).toBeLessThanOrEqual(progress.concepts.at(-1)?.mastery ?? 1);

          // The member's and the server's weakest concept.
          expect((await engine.weakestConcept("g", "basics", "m"))?.mastery).toBe(
            progress.concepts[0]?.mastery,
          );
          expect((await engine.weakestConcept("g", "basics"))?.concept).toBe(progress.concepts[0]?.concept);
          expect(await engine.weakestConcept("other-server", "basics")).toBeNull();
        });

        it("brings back, among due questions, the one of the weakest concept first", async () => {
          const engine = await engineAt("review.db");
          const member = { guildId: "g", memberId: "r" };
          // Both missed once (box 1, due in 10 minutes); then the program of basics/first and basics/whole is
          // answered right several times through basics/first, so the concepts they share grow strong.
          for (const key of ["basics/whole", "basics/escape"])
            await engine.recordAnswer({ ...member, key, correct: false, points: 0 });
          for (let i = 0; i < 4; i++)
            await engine.recordAnswer({ ...member, key: "basics/first", correct: true, points: 100 });
          now += 11 * 60_000;
          const mastery = new Map(
            (await engine.progress("r", "g")).concepts.map((c) => [c.concept, c.mastery]),
          );
          const weakness = (key: string) => {
            const concepts = engine.choicePool(key).concepts;
            return concepts.reduce((sum, c) => sum + (mastery.get(c) ?? 1), 0) / concepts.length;
          };
          const [weaker, stronger] = ["basics/whole", "basics/escape"].sort(
            (a, b) => weakness(a) - weakness(b),
          );
          expect(weakness(weaker as string)).toBeLessThan(weakness(stronger as string));
          const draws = new Set(
            await Promise.all(
              Array.from({ length: 12 }, (_, i) =>
                engine.drawQuestion({ lessonId: "basics", ...member, seed: `d${i}` }),
              ),
            ),
          );
          expect([...draws]).toEqual([weaker]);
        });
      });
  },
);

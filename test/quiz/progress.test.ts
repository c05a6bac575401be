// /progress's core: the streak of study days and the list of missed questions, on a real store (a SQLite
// file, a PostgreSQL database) with an injectable clock (the engine part also derives its answers with the real sandbox).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLessons } from "../../src/lessons/index.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import { BOX_INTERVAL_MS, createQuizEngine, nextBox, streakOf } from "../../src/quiz/index.js";
import { QuizStore } from "../../src/store/quizStore.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { storeEngines } from "../services/stores.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);

const engines = storeEngines();

describe("streak of study days", () => {
  const now = at("2026-11-25T10:00:00Z");

  it("is zero without answers", () => {
    expect(streakOf([], now)).toEqual({ current: 0, best: 0, activeToday: false, timeZone: "UTC" });
  });

  it("counts consecutive days ending today, several answers a day counting once", () => {
    const times = [
      at("2026-11-23T08:00:00Z"),
      at("2026-11-23T21:00:00Z"),
      at("2026-11-24T12:00:00Z"),
      at("2026-11-25T09:59:00Z"),
    ];
    expect(streakOf(times, now)).toMatchObject({ current: 3, best: 3, activeToday: true });
  });

  it("still holds when the last answer was yesterday, and breaks after a day without one", () => {
    const times = [at("2026-11-23T08:00:00Z"), at("2026-11-24T23:59:00Z")];
    expect(streakOf(times, now)).toMatchObject({ current: 2, best: 2, activeToday: false });
    expect(streakOf(times, now + DAY)).toMatchObject({ current: 0, best: 2, activeToday: false });
  });

  it("keeps the best run apart from the current one, in any input order", () => {
    const best = [10, 11, 12, 13].map((d) => at(`2026-11-${d}T12:00:00Z`));
    const current = [24, 25].map((d) => at(`2026-11-${d}T12:00:00Z`));
    expect(streakOf([...current, ...best].reverse(), now)).toMatchObject({ current: 2, best: 4 });
  });

  it("counts days in the time zone it is given", () => {
    // 23:30 UTC and 00:30 UTC the next day: two days in UTC, one evening-and-night in Paris (00:30, 01:30).
    const times = [at("2026-11-23T23:30:00Z"), at("2026-11-24T00:30:00Z")];
    const later = at("2026-11-24T12:00:00Z");
    expect(streakOf(times, later, "UTC")).toMatchObject({ current: 2, best: 2 });
    expect(streakOf(times, later, "Europe/Paris")).toMatchObject({
      current: 1,
      best: 1,
      timeZone: "Europe/Paris",
    });
    // Across the spring change to summer time (a 23-hour day in Paris) the days stay consecutive.
    const dst = ["2026-03-28T22:30:00Z", "2026-03-29T21:30:00Z", "2026-03-30T21:30:00Z"].map(at);
    expect(streakOf(dst, at("2026-03-30T22:00:00Z"), "Europe/Paris")).toMatchObject({ current: 3 });
  });

  it("falls back to UTC for an unknown time zone instead of failing", () => {
    expect(streakOf([now], now, "Mars/Olympus")).toMatchObject({ current: 1, timeZone: "UTC" });
  });

  it("ignores answers stamped after now (a clock set back)", () => {
    expect(streakOf([now + 2 * DAY], now)).toMatchObject({ current: 0, best: 0 });
  });
});

for (const engine of engines)
  describe.skipIf(engine.skip !== null)(`missed questions in the store: ${engine.title}`, () => {
    it("lists a question whose latest answer was wrong, until it is answered right", async () => {
      const store = new QuizStore(await engine.open());
      let now = at("2026-11-20T09:00:00Z");
      const answer = async (memberId: string, questionKey: string, correct: boolean, guildId = "g") => {
        const answeredAt = now;
        await store.recordAttempt({
          guildId,
          memberId,
          questionKey,
          correct,
          points: correct ? 100 : 0,
          hintUsed: false,
          answeredAt,
          leitner: (previous) => nextBox(previous, correct, answeredAt),
        });
        now += HOUR;
      };
      await answer("ann", "l/a", false);
      await answer("ann", "l/b", false);
      await answer("ann", "l/c", true);
      await answer("ann", "l/a", true); // practised: no longer missed
      await answer("ann", "l/c", false); // right before, wrong now: missed
      await answer("bob", "l/a", false, "g"); // another member
      await answer("ann", "l/d", false, "other"); // another server
      const bMissed = at("2026-11-20T10:00:00Z");
      const cMissed = at("2026-11-20T13:00:00Z");
      expect(await store.missed("g", "ann")).toEqual([
        { questionKey: "l/c", missedAt: cMissed, dueAt: cMissed + (BOX_INTERVAL_MS[1] ?? 0) },
        { questionKey: "l/b", missedAt: bMissed, dueAt: bMissed + (BOX_INTERVAL_MS[1] ?? 0) },
      ]);
      expect((await store.missed("g", "bob")).map((r) => r.questionKey)).toEqual(["l/a"]);
      expect(await store.missed("g", "nobody")).toEqual([]);
      expect(await store.answerTimes("g", "ann")).toHaveLength(5);
      expect(await store.progressRow("g", "ann", "l/c")).toMatchObject({
        rightCount: 1,
        wrongCount: 1,
        box: 1,
      });
    });
  });

const unavailable = await sandboxSkipReason();

describe.skipIf(unavailable !== null)(
  `engine progress: streak and missed questions${unavailable ? ` (skipped: no sandbox here: ${unavailable})` : ""}`,
  () => {
    for (const kind of engines)
      describe.skipIf(kind.skip !== null)(kind.title, () => {
        let sandbox: SandboxRunner;
        beforeAll(async () => {
          sandbox = await openSandboxRunner();
        });
        afterAll(async () => {
          await sandbox?.close();
        });

        it("reports the streak in the time zone asked for and each missed question with its lesson and section", async () => {
          let now = at("2026-11-23T23:30:00Z");
          const engine = createQuizEngine({
            store: await kind.open(),
            lessons: await loadLessons(new URL("../lessons/fixtures/valid/", import.meta.url).pathname),
            runner: (request) => sandbox.run(request),
            clock: () => now,
          });
          await engine.prepare();
          const member = { guildId: "g", memberId: "ann" };
          const empty = await engine.progress("ann", "g");
          expect(empty).toMatchObject({ answered: 0, streak: { current: 0, best: 0 }, missed: [] });

          await engine.recordAnswer({ ...member, key: "basics/first", correct: false, points: 0 });
          const firstMiss = now;
          now = at("2026-11-24T08:00:00Z");
          await engine.recordAnswer({ ...member, key: "basics/escape", correct: false, points: 0 });
          const escapeMiss = now;
          await engine.recordAnswer({ ...member, key: "basics/whole", correct: true, points: 100 });

          // 23:30 UTC on the 23rd is already 00:30 on the 24th in Paris: two days in UTC, one in Paris.
          const utc = await engine.progress("ann", "g");
          expect(utc.streak).toEqual({ current: 2, best: 2, activeToday: true, timeZone: "UTC" });
          expect((await engine.progress("ann", "g", { timeZone: "Europe/Paris" })).streak).toMatchObject({
            current: 1,
            best: 1,
          });
          expect(utc.missed).toEqual([
            {
              key: "basics/escape",
              lessonId: "basics",
              lessonTitle: "A tiny lesson for tests",
              sectionId: "escaping",
              sectionTitle: "Escaping",
              prompt: "Does an exception escape half()?",
              missedAt: escapeMiss,
              dueAt: escapeMiss + (BOX_INTERVAL_MS[1] ?? 0),
            },
            expect.objectContaining({
              key: "basics/first",
              sectionTitle: "Handled or not",
              missedAt: firstMiss,
            }),
          ]);

          // Answered right the next day: off the list; the streak grows to three days.
          now = at("2026-11-25T07:00:00Z");
          await engine.recordAnswer({ ...member, key: "basics/first", correct: true, points: 100 });
          const after = await engine.progress("ann", "g");
          expect(after.missed.map((m) => m.key)).toEqual(["basics/escape"]);
          expect(after.streak).toMatchObject({ current: 3, best: 3 });

          // Two idle days later the streak is gone but the best is remembered, and so is the miss.
          now = at("2026-11-27T12:00:00Z");
          const idle = await engine.progress("ann", "g");
          expect(idle.streak).toMatchObject({ current: 0, best: 3, activeToday: false });
          expect(idle.missed).toHaveLength(1);
          expect(await engine.progress("bob", "g")).toMatchObject({ answered: 0, missed: [] });
        });
      });
  },
);

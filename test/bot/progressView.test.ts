// /progress as text: the streak line, missed questions with the command to practise them, Discord's limit.
import { describe, expect, it } from "vitest";
import { MISSED_SHOWN, NOTHING_YET, progressText } from "../../src/bot/progressView.js";
import type { Lesson } from "../../src/lessons/types.js";
import type { MemberProgress, MissedQuestion } from "../../src/quiz/types.js";

const now = Date.parse("2026-11-25T10:00:00Z");
const lessons = [{ id: "finally", command: "finally", title: "finally" }] as Lesson[];

const missed = (i: number, title = `Section ${i}`): MissedQuestion => ({
  key: `finally/q${i}`,
  lessonId: "finally",
  lessonTitle: "finally",
  sectionId: `s${i}`,
  sectionTitle: title,
  prompt: `What prints first in program ${i}?`,
  missedAt: now - i * 60_000,
  dueAt: now + (i % 2 === 0 ? -1 : 1) * 600_000,
});

const progress = (over: Partial<MemberProgress>): MemberProgress => ({
  answered: 3,
  correct: 1,
  points: 100,
  dueForReview: 0,
  lessons: [{ lessonId: "finally", title: "finally", total: 12, seen: 3, mastered: 0 }],
  streak: { current: 1, best: 1, activeToday: true, timeZone: "UTC" },
  missed: [],
  concepts: [],
  misconceptions: [],
  ...over,
});

describe("progressText", () => {
  it("greets a member with no answers", () => {
    expect(progressText(progress({ answered: 0 }), lessons, now)).toBe(NOTHING_YET);
  });

  it("says whether the streak is safe today, waiting for today, or over", () => {
    const streak = (current: number, best: number, activeToday: boolean) =>
      progressText(progress({ streak: { current, best, activeToday, timeZone: "UTC" } }), lessons, now);
    expect(streak(3, 5, true)).toContain("🔥 Streak: **3 days** (best 5 days): you studied today.");
    expect(streak(1, 5, false)).toContain(
      "🔥 Streak: **1 day** (best 5 days): answer a question today to keep it.",
    );
    expect(streak(0, 5, false)).toContain(
      "🔥 Streak: **0 days** (best 5 days): answer a question today to start",
    );
  });

  it("lists missed questions with when they come back and the command that practises them", () => {
    const text = progressText(progress({ missed: [missed(1), missed(2)] }), lessons, now);
    expect(text).toContain("**Missed questions** (2)");
    expect(text).toContain(
      `• **Section 1**: What prints first in program 1? · missed <t:${(now - 60_000) / 1000}:R>, due again <t:${(now + 600_000) / 1000}:R>`,
    );
    expect(text).toContain("↳ `/finally quiz section:Section 1`");
    expect(text).toContain("Section 2**: What prints first in program 2? · missed");
    expect(text).toMatch(/program 2\? · missed <t:\d+:R>, due now/);
  });

  it(`shows at most ${MISSED_SHOWN} missed questions, counts the rest, and stays within 2000 characters`, () => {
    const many = Array.from({ length: 12 }, (_, i) => missed(i + 1));
    const text = progressText(progress({ missed: many }), lessons, now);
    expect(text.match(/↳/g)).toHaveLength(MISSED_SHOWN);
    expect(text).toContain(`…and ${12 - MISSED_SHOWN} more.`);

    const long = Array.from({ length: 12 }, (_, i) => missed(i + 1, `${"Very long title ".repeat(10)}${i}`));
    const lessonsMany = Array.from({ length: 12 }, (_, i) => ({
      lessonId: `l${i}`,
      title: "A lesson with a rather long title, to fill the message ".repeat(2),
      total: 10,
      seen: 1,
      mastered: 0,
    }));
    const full = progressText(progress({ missed: long, lessons: lessonsMany }), lessons, now);
    expect(full.length).toBeLessThanOrEqual(2000);
    expect(full).toContain("**Missed questions** (12)");
    expect(full).toMatch(/…and \d+ more\.$/);
  });

  it("keeps a backtick in a section title from breaking the command's code span", () => {
    const text = progressText(progress({ missed: [missed(1, "The `finally` clause")] }), lessons, now);
    const line = text.split("\n").find((l) => l.includes("↳")) ?? "";
    expect(line).toBe("  ↳ `/finally quiz section:The finally clause`");
  });

  it("shows mastery per concept, weakest first, and the misconceptions shown more than once", () => {
    const text = progressText(
      progress({
        concepts: [
          {
            concept: "finally-on-return",
            about: "finally and return / break / continue",
            right: 1,
            wrong: 3,
            mastery: 0.25,
          },
          {
            concept: "else",
            about: "else runs only when the try block finished",
            right: 4,
            wrong: 1,
            mastery: 0.8,
          },
        ],
        misconceptions: [
          {
            id: "jump-skips-finally",
            times: 3,
            lastShownAt: now,
            belief: "A `return` in `try` skips `finally`.",
            correction: "It never is: `finally` runs before the `return` takes effect.",
          },
        ],
      }),
      lessons,
      now,
    );
    expect(text).toContain(
      "**Mastery per concept** (weakest first; review brings the weak ones back first):",
    );
    expect(text).toContain(
      "• `finally-on-return` ▰▱▱▱▱ 25% (1/4 right): finally and return / break / continue",
    );
    expect(text).toContain("• `else` ▰▰▰▰▱ 80% (4/5 right)");
    expect(text.indexOf("finally-on-return")).toBeLessThan(text.indexOf("`else`"));
    expect(text).toContain("**Misconceptions your answers showed more than once:**");
    expect(text).toContain(
      "• 3× “A `return` in `try` skips `finally`” → It never is: `finally` runs before the `return` takes effect.",
    );
  });
});

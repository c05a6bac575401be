// The engine's pure rules: seeded shuffling, scoring and Leitner boxes.
import { describe, expect, it } from "vitest";
import {
  BOX_INTERVAL_MS,
  nextBox,
  SCORING,
  scoreAnswer,
  seededRandom,
  shuffled,
} from "../../src/quiz/index.js";

describe("seeded shuffle", () => {
  it("gives the same permutation for the same seed and different ones across seeds", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect(shuffled(items, seededRandom("x"))).toEqual(shuffled(items, seededRandom("x")));
    const seen = new Set(
      Array.from({ length: 50 }, (_, i) => shuffled(items, seededRandom(`s${i}`)).join("")),
    );
    expect(seen.size).toBeGreaterThan(10);
    for (const p of seen) expect([...p].sort().join("")).toBe("abcde");
  });
});

describe("scoring", () => {
  it("gives nothing for a wrong answer, even a fast one", () => {
    expect(scoreAnswer({ correct: false, mode: "group", elapsedMs: 0, roundMs: 1000 })).toBe(0);
  });
  it("takes the hint's cost off a right answer", () => {
    expect(scoreAnswer({ correct: true })).toBe(SCORING.base);
    expect(scoreAnswer({ correct: true, hintUsed: true })).toBe(SCORING.base - SCORING.hintCost);
  });
  it("rewards speed only in group rounds, falling to nothing at the round's end", () => {
    expect(scoreAnswer({ correct: true, mode: "solo", elapsedMs: 0, roundMs: 1000 })).toBe(SCORING.base);
    const at = (elapsedMs: number) => scoreAnswer({ correct: true, mode: "group", elapsedMs, roundMs: 1000 });
    expect(at(0)).toBe(SCORING.base + SCORING.speedBonusMax);
    expect(at(250)).toBeGreaterThan(at(750));
    expect(at(1000)).toBe(SCORING.base);
    expect(at(5000)).toBe(SCORING.base);
  });
});

describe("Leitner boxes", () => {
  it("sends a miss back to box 1 and moves a right answer up one box, up to the last", () => {
    const now = 1_000_000;
    expect(nextBox(null, false, now)).toEqual({ box: 1, dueAt: now + (BOX_INTERVAL_MS[1] ?? 0) });
    expect(nextBox(null, true, now).box).toBe(2);
    expect(nextBox({ box: 4, dueAt: 0 }, false, now).box).toBe(1);
    expect(nextBox({ box: 5, dueAt: 0 }, true, now)).toEqual({
      box: 5,
      dueAt: now + (BOX_INTERVAL_MS[5] ?? 0),
    });
    expect(nextBox({ box: 2, dueAt: 0 }, true, now).dueAt).toBeGreaterThan(
      nextBox({ box: 1, dueAt: 0 }, true, now).dueAt,
    );
  });
});

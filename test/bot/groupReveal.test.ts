// The reveal of a closed group round is a pure rendering: the same facts give the same text, nothing is stored.
import { describe, expect, it } from "vitest";
import { type RoundReveal, revealText } from "../../src/bot/groupReveal.js";
import type { PresentedQuestion } from "../../src/quiz/types.js";

const question: PresentedQuestion = {
  key: "finally/escape",
  lessonId: "finally",
  sectionId: "escape",
  kind: "escapes",
  prompt: "What reaches the caller?",
  code: "def f():\n    try:\n        return 1 / 0\n    finally:\n        print('cleanup')\n",
  hint: "",
  choices: [
    { id: "A", label: "Nothing escapes; the caller gets 0", text: "Nothing escapes; the caller gets 0" },
    { id: "D", label: "ZeroDivisionError escapes", text: "ZeroDivisionError escapes" },
  ],
  multi: false,
};

const reveal = (over: Partial<RoundReveal>): RoundReveal => ({
  question,
  command: "finally",
  note: "",
  answers: [],
  correctChoiceIds: ["D"],
  right: [],
  explanation: "The finally clause runs, then the exception goes on to the caller.",
  ...over,
});

const answer = (userId: string, choice: string, answeredAt: number) => ({
  userId,
  choice,
  answeredAt,
  changes: 0,
});

describe("revealText", () => {
  it("names the answer, the share per choice, who was right and the fastest of them", () => {
    const text = revealText(
      reveal({
        answers: [answer("1", "A", 900), answer("2", "D", 2500), answer("3", "D", 1200)],
        right: [
          { userId: "2", ms: 2500 },
          { userId: "3", ms: 1200 },
        ],
      }),
    );
    expect(text).toContain("👥 **Group round closed** · /finally");
    expect(text).toContain("**Answer:** **D** (ZeroDivisionError escapes)");
    expect(text).toContain("▫️ **A** Nothing escapes; the caller gets 0 ▰▰▰▱▱▱▱▱▱▱ 1 (33%)");
    expect(text).toContain("✅ **D** ZeroDivisionError escapes ▰▰▰▰▰▰▰▱▱▱ 2 (67%)");
    expect(text).toContain("Right (2/3): <@3>, <@2> · ⚡ Fastest: <@3> (1.2 s)");
    expect(text).toContain("The finally clause runs");
  });

  it("names a clause choice once (its id is its text)", () => {
    const clauses: PresentedQuestion = {
      ...question,
      kind: "clauses",
      multi: true,
      choices: ["try", "except", "else", "finally"].map((c) => ({ id: c, label: c, text: c })),
    };
    const text = revealText(
      reveal({
        question: clauses,
        correctChoiceIds: ["try", "finally"],
        answers: [answer("1", "try,finally", 1)],
      }),
    );
    expect(text).toContain("✅ **try** ▰▰▰▰▰▰▰▰▰▰ 1 (100%)");
    expect(text).not.toContain("**try** try");
  });

  it("says so when nobody answered, or nobody was right, and carries the note", () => {
    expect(revealText(reveal({ note: "closed after a restart of the bot" }))).toMatch(
      /closed after a restart of the bot[\s\S]*Nobody answered this time\./,
    );
    expect(revealText(reveal({ answers: [answer("1", "A", 500)] }))).toContain(
      "Nobody got it right (1 answered).",
    );
  });

  it("fits one Discord message whatever the explanation's length", () => {
    expect(revealText(reveal({ explanation: "x".repeat(5000) })).length).toBeLessThanOrEqual(2000);
  });

  it("is pure: the same facts give the same text and the input is left as it was", () => {
    const input = reveal({
      answers: [answer("1", "D", 900)],
      right: [
        { userId: "2", ms: 2500 },
        { userId: "1", ms: 900 },
      ],
    });
    const copy = structuredClone(input);
    expect(revealText(input)).toBe(revealText(input));
    expect(input).toEqual(copy);
  });
});

// The feedback a member reads after a wrong answer: the misconception named, the correction pointing at lines.
import { describe, expect, it } from "vitest";
import { fillLines, linesRef, misconceptionFeedback } from "../../src/misconceptions/index.js";
import type { ProgramShape } from "../../src/misconceptions/variants.js";

const shape: ProgramShape = {
  tries: [{ line: 2, end: 6, handlers: [4], else: null, finally: 5, finallyEnd: 6 }],
  withs: [],
};

describe("misconception feedback", () => {
  it("writes line references as a reader says them", () => {
    expect(linesRef([])).toBe("");
    expect(linesRef([6])).toBe("(line 6)");
    expect(linesRef([14, 6, 6])).toBe("(lines 6 and 14)");
    expect(linesRef([2, 14, 6])).toBe("(lines 2, 6 and 14)");
  });

  it("points at the lines the rule changed, else at the program's clauses, else nowhere", () => {
    const template = "`finally` {finally} runs first.";
    expect(fillLines(template, { finally: [6] })).toBe("`finally` (line 6) runs first.");
    expect(fillLines(template, {}, shape)).toBe("`finally` (line 5) runs first.");
    expect(fillLines(template, {}, null)).toBe("`finally` runs first.");
  });

  it("names the misconception behind the choice and corrects it", () => {
    const text = misconceptionFeedback({
      kind: "whole_output",
      chosen: "B",
      refs: [{ id: "jump-skips-finally", lines: { finally: [6] } }],
    });
    expect(text).toBe(
      "You chose B: that is what would print if `finally` were skipped on `return`, `break` or `continue`. It never is: `finally` (line 6) runs before the `return`, `break` or `continue` takes effect, so before a function hands back its value.",
    );
  });

  it("names at most two misconceptions, the classic ones first, the generic fallback last", () => {
    const text =
      misconceptionFeedback({
        kind: "first_line",
        chosen: "C",
        refs: [{ id: "later-line" }, { id: "caller-prints-first" }, { id: "jump-skips-finally" }],
        shape,
      }) ?? "";
    expect(text).toMatch(/^You chose C: that is what would print first if `finally` were skipped on /);
    expect(text).toContain(", or if the outer `print` came out before the called function's own output.");
    expect(text).not.toContain("in the order they are written");
    expect(text).toContain("`finally` (line 5)");
  });

  it("quotes a lesson's own misconception, and says nothing for a name nobody defines", () => {
    const own = [
      { id: "o-is-zero", belief: '"4o" is the number 40.', correction: "That is the letter o.", line: 3 },
    ];
    expect(misconceptionFeedback({ kind: "escapes", chosen: "D", refs: [{ id: "o-is-zero" }], own })).toBe(
      'You chose D, which fits the belief “"4o" is the number 40”. That is the letter o.',
    );
    expect(
      misconceptionFeedback({ kind: "escapes", chosen: "D", refs: [{ id: "nobody-knows" }], own }),
    ).toBeNull();
  });

  it("says what would run for a clause question", () => {
    const text = misconceptionFeedback({
      kind: "clauses",
      chosen: "“try”",
      refs: [{ id: "finally-skipped-on-error" }],
      shape,
    });
    expect(text).toMatch(
      /^You chose “try”: that is what would run if `finally` were skipped when an error is not caught\. `finally` \(line 5\) runs even/,
    );
  });
});

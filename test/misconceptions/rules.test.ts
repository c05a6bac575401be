// Every misconception rule, run for real in the sandbox: on a program where it changes the answer (to the
// exact answer a learner holding it expects) and on one where it does not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveAnswer } from "../../src/lessons/derive.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import type { Question, QuestionKind } from "../../src/lessons/types.js";
import { deriveWrongAnswers } from "../../src/lessons/wrongAnswers.js";
import { CATALOGUE, runVariants } from "../../src/misconceptions/index.js";
import { CLAUSE_RULES } from "../../src/misconceptions/runRules.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { CLAUSE_CASES, RULE_CASES } from "./cases.js";

const unavailable = await sandboxSkipReason();

let sandbox: SandboxRunner;
beforeAll(async () => {
  if (unavailable === null) sandbox = await openSandboxRunner();
});
afterAll(async () => {
  await sandbox?.close();
});

function question(kind: QuestionKind, source: string): Question {
  const base = {
    key: "t/q",
    id: "q",
    lessonId: "t",
    sectionId: "s",
    prompt: "p",
    hint: "h",
    explanation: "e",
    code: { source, line: 1 },
    line: 1,
    choices: 4,
    concepts: [],
  };
  if (kind === "clauses") return { ...base, kind, focusLine: null, focusRun: null };
  return { ...base, kind, distractors: [] };
}

/** The wrong answers that `rule` (and no other rule: only it runs) derives for the program. */
async function wrongUnder(rule: string, kind: QuestionKind, source: string): Promise<string[]> {
  const q = question(kind, source);
  const [truth, report] = await Promise.all([
    sandbox.run({ code: source }),
    runVariants(source, sandbox.run, rule in RULE_CASES ? [rule] : []),
  ]);
  const answer = deriveAnswer(q, truth);
  if (!answer.ok) throw new Error(`${rule}: ${answer.reason}`);
  return deriveWrongAnswers(q, truth, answer.answer, report)
    .filter((w) => w.misconceptions.some((m) => m.id === rule))
    .map((w) => w.text);
}

describe("the catalogue", () => {
  it("has a test case for every rule (the later-line fallback is tested with the choices)", () => {
    const ids = CATALOGUE.map((m) => m.id).filter((id) => id !== "later-line");
    expect(Object.keys(RULE_CASES).sort()).toEqual([...ids].sort());
    expect(Object.keys(CLAUSE_CASES).sort()).toEqual(Object.keys(CLAUSE_RULES).sort());
  });

  it("names the 16 misconceptions the issue lists, each with a correction", () => {
    const listed = new Set(CATALOGUE.flatMap((m) => (m.listed ? [m.listed] : [])));
    expect([...listed].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    for (const m of CATALOGUE) {
      expect(m.correction.length).toBeGreaterThan(20);
      expect(m.belief).toMatch(/\.$/);
    }
  });
});

describe.skipIf(unavailable !== null)(
  `misconception rules in the sandbox${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    for (const [rule, c] of Object.entries(RULE_CASES)) {
      const kind = c.kind ?? "whole_output";
      it(`${rule}: changes the answer of one program, not of the other`, async () => {
        const [changed, same] = await Promise.all([
          wrongUnder(rule, kind, c.changes.code),
          wrongUnder(rule, kind, c.same),
        ]);
        expect(changed).toEqual([c.changes.expect]);
        expect(same).toEqual([]);
      });
    }

    for (const [rule, c] of Object.entries(CLAUSE_CASES)) {
      it(`${rule} (clause question): changes the clauses expected for one try, not for the other`, async () => {
        const [changed, same] = await Promise.all([
          wrongUnder(rule, "clauses", c.changes.code),
          wrongUnder(rule, "clauses", c.same),
        ]);
        expect(changed).toEqual([c.changes.expect]);
        expect(same).toEqual([]);
      });
    }

    it("merges rules that give the same answer into one wrong answer carrying all their names", async () => {
      const source =
        "def f():\n    try:\n        return 'value'\n    finally:\n        print('cleanup')\nprint(f())\n";
      const q = question("first_line", source);
      const [truth, report] = await Promise.all([
        sandbox.run({ code: source }),
        runVariants(source, sandbox.run),
      ]);
      const answer = deriveAnswer(q, truth);
      if (!answer.ok) throw new Error(answer.reason);
      const wrong = deriveWrongAnswers(q, truth, answer.answer, report);
      const value = wrong.find((w) => w.text === "value");
      expect(value?.misconceptions.map((m) => m.id)).toEqual(
        expect.arrayContaining(["jump-skips-finally", "caller-prints-first"]),
      );
      expect(new Set(wrong.map((w) => w.key)).size).toBe(wrong.length);
      expect(wrong.map((w) => w.text)).not.toContain("cleanup");
      // The feedback can point at the finally the rule changed.
      expect(value?.misconceptions.find((m) => m.id === "jump-skips-finally")?.lines).toEqual({
        finally: [4],
      });
    });

    it("gives up on a rewrite that loops forever after a fixed number of lines, the same way every time", async () => {
      // Under "the rest of the try runs", the `while` below never meets its break.
      const source =
        "n = 0\ntry:\n    raise ValueError\n    while True:\n        n += 1\nexcept ValueError:\n    print('caught')\n";
      const [a, b] = await Promise.all([
        runVariants(source, sandbox.run, ["rest-of-try-runs"]),
        runVariants(source, sandbox.run, ["rest-of-try-runs"]),
      ]);
      expect(a.variants.map((v) => v.status)).toEqual(["timeout"]);
      expect(b.variants.map((v) => v.status)).toEqual(["timeout"]);
      expect(await wrongUnder("rest-of-try-runs", "whole_output", source)).toEqual([]);
    });
  },
);

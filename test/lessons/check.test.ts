// `tutor lessons check`: every answer is derived in the real sandbox, and broken lessons fail with FILE:LINE.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLessons } from "../../src/lessons/check.js";
import { buildChoices } from "../../src/lessons/choices.js";
import { deriveAnswer } from "../../src/lessons/derive.js";
import { readLessons } from "../../src/lessons/load.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import { formatProblem } from "../../src/lessons/types.js";
import { deriveWrongAnswers } from "../../src/lessons/wrongAnswers.js";
import { runVariants } from "../../src/misconceptions/index.js";
import { sandboxSkipReason } from "../sandboxGate.js";

const root = new URL("../../", import.meta.url).pathname;
const fixtures = `${root}test/lessons/fixtures/`;
const tutor = `${root}bin/tutor.js`;

// Every answer comes from a real sandbox run; on a machine that cannot isolate code these tests cannot run.
const unavailable = await sandboxSkipReason();

let sandbox: SandboxRunner;
beforeAll(async () => {
  if (unavailable !== null) return;
  sandbox = await openSandboxRunner();
});
afterAll(async () => {
  await sandbox?.close();
});

async function problems(dir: string): Promise<string[]> {
  const report = await checkLessons(`${fixtures}${dir}`, sandbox.run);
  return report.problems.map((p) => formatProblem({ ...p, file: p.file.replace(fixtures, "") }));
}

describe.skipIf(unavailable !== null)(
  `lessons check${unavailable ? ` (skipped: no sandbox here: ${unavailable})` : ""}`,
  () => {
    it("passes the course in lessons/, printing the counts last, 120+ wrong choices derived (via the CLI)", () => {
      const r = spawnSync(process.execPath, [tutor, "lessons", "check"], { cwd: root, encoding: "utf8" });
      expect(r.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(/^4 lessons, \d+ quizzes checked, \d+ distractors derived$/),
      ]);
      expect(r.status).toBe(0);
      const quizzes = Number(/, (\d+) quizzes/.exec(r.stdout)?.[1]);
      expect(quizzes).toBeGreaterThanOrEqual(24 + 30);
      const derived = Number(/, (\d+) distractors derived/.exec(r.stdout)?.[1]);
      expect(derived).toBeGreaterThanOrEqual(120);
    });

    it("passes a copy of a lesson whose question lost its hand-written wrong answers, with 3+ derived", async () => {
      // The finally lesson, one question's `distractors:` list cut out (and no prerequisite to resolve).
      const text = await readFile(`${root}lessons/finally.md`, "utf8");
      const block = /```question\nid: uncaught-unwind\n[\s\S]*?```/.exec(text)?.[0] ?? "";
      expect(block).toContain("distractors:");
      const stripped = text
        .replace(block, block.replace(/^distractors:\n(?: {2}.*\n)+/m, ""))
        .replace(/^prerequisites: .*$/m, "prerequisites: []");
      const dir = mkdtempSync(join(tmpdir(), "stripped-"));
      try {
        writeFileSync(join(dir, "finally.md"), stripped);
        const report = await checkLessons(dir, sandbox.run);
        expect(report.problems.map(formatProblem)).toEqual([]);
        const { lessons } = await readLessons(dir);
        const question = lessons[0]?.sections[0]?.questions.find((q) => q.id === "outcomes-output");
        if (question?.kind !== "whole_output")
          throw new Error("outcomes-output is gone from the finally lesson");
        expect(question.distractors).toEqual([]);
        const run = await sandbox.run({ code: question.code.source });
        const answer = deriveAnswer(question, run);
        if (!answer.ok) throw new Error(answer.reason);
        const report2 = await runVariants(question.code.source, sandbox.run);
        const choices = buildChoices(
          question,
          answer.answer,
          deriveWrongAnswers(question, run, answer.answer, report2),
        );
        const derived = choices.filter((c) => !c.correct && c.derived);
        expect(derived.length).toBeGreaterThanOrEqual(3);
        expect(derived.every((c) => c.misconceptions.length > 0)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("passes a valid lesson whose answers come from the run", async () => {
      const report = await checkLessons(`${fixtures}valid`, sandbox.run);
      expect(report.problems.map(formatProblem)).toEqual([]);
      expect([report.lessons, report.quizzes]).toEqual([1, 4]);
    });

    it("fails on a code block with a syntax error, at the failing line", async () => {
      const [first, ...rest] = await problems("syntax-error");
      expect(rest).toEqual([]);
      expect(first).toMatch(/^syntax-error\/broken\.md:12: the code does not compile: SyntaxError/);
    });

    it("fails when a distractor equals the real answer", async () => {
      expect(await problems("distractor-equals")).toEqual([
        'distractor-equals/same.md:28: question "first": distractor 2 ("from finally") equals the real answer',
      ]);
    });

    it("fails on a missing field, an unknown kind and a duplicate id", async () => {
      expect(await problems("missing-field")).toEqual([
        'missing-field/missing.md:14: question "no-hint": field "hint" is missing',
      ]);
      expect((await problems("unknown-kind"))[0]).toMatch(
        /^unknown-kind\/unknown\.md:16: .*unknown question kind/,
      );
      expect(await problems("duplicate-id")).toEqual([
        'duplicate-id/dup.md:26: duplicate question id "same-id" (first used on line 15)',
      ]);
    });

    it("exits 1 with FILE:LINE lines and the count last on a broken lesson (via the CLI)", () => {
      const r = spawnSync(
        process.execPath,
        [tutor, "lessons", "check", "--dir", `${fixtures}distractor-equals`],
        {
          cwd: root,
          encoding: "utf8",
        },
      );
      expect(r.status).toBe(1);
      const lines = r.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/distractor-equals\/same\.md:28: question "first": distractor 2/);
      expect(lines.at(-1)).toMatch(/^1 lessons, 1 quizzes checked, \d+ distractors derived$/);
    });

    it("previews one question as a member sees it, with the derived answer (tutor lessons show)", () => {
      const r = spawnSync(
        process.execPath,
        [tutor, "lessons", "show", "basics/first", "--dir", `${fixtures}valid`, "--seed", "s"],
        { cwd: root, encoding: "utf8" },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("What prints first?");
      expect(r.stdout).toContain("[good 7]");
      expect(r.stdout).toContain("Right: good 7 (100 points)");
      // Every choice it can offer, each wrong one with its misconception, and the feedback a member reads.
      expect(r.stdout).toContain("✓ good 7");
      expect(r.stdout).toMatch(/✗ bad x\n {4}↳ (derived|written) · later-line: /);
      expect(r.stdout).toMatch(/: You chose [A-E]: that is what would print first if /);
    });

    it("fails on a hand-written wrong answer whose misconception nobody defines", async () => {
      const dir = mkdtempSync(join(tmpdir(), "unnamed-"));
      try {
        const text = await readFile(`${fixtures}valid/basics.md`, "utf8");
        writeFileSync(
          join(dir, "basics.md"),
          text.replace(
            "{ line: bad x, misconception: later-line }",
            "{ line: bad x, misconception: guesswork }",
          ),
        );
        const report = await checkLessons(dir, sandbox.run);
        expect(report.problems.map((p) => formatProblem({ ...p, file: "basics.md" }))).toEqual([
          expect.stringMatching(
            /^basics\.md:38: question "first": distractor 1 names misconception "guesswork", which is neither in the catalogue/,
          ),
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("rejects bad arguments with exit code 2", () => {
      const r = spawnSync(process.execPath, [tutor, "lessons", "check", "--frobnicate"], {
        cwd: root,
        encoding: "utf8",
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("usage: tutor lessons check [--dir DIR]");
    });
  },
);

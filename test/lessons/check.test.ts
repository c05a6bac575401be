// `tutor lessons check`: every answer is derived in the real sandbox, and broken lessons fail with FILE:LINE.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLessons } from "../../src/lessons/check.js";
import { openSandboxRunner, type SandboxRunner } from "../../src/lessons/runner.js";
import { formatProblem } from "../../src/lessons/types.js";
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
    it("passes the course in lessons/, printing the count last (via the CLI)", () => {
      const r = spawnSync(process.execPath, [tutor, "lessons", "check"], { cwd: root, encoding: "utf8" });
      expect(r.stdout.trim().split("\n")).toEqual([
        expect.stringMatching(/^4 lessons, \d+ quizzes checked$/),
      ]);
      expect(r.status).toBe(0);
      const quizzes = Number(/, (\d+) quizzes/.exec(r.stdout)?.[1]);
      expect(quizzes).toBeGreaterThanOrEqual(24 + 30);
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
        'distractor-equals/same.md:20: question "first": distractor 2 ("from finally") equals the real answer',
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
      expect(lines[0]).toMatch(/distractor-equals\/same\.md:20: question "first": distractor 2/);
      expect(lines.at(-1)).toBe("1 lessons, 1 quizzes checked");
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

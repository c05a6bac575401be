// The lesson checker behind `tutor lessons check`: validates every file, runs every program in the
// sandbox (twice, to catch output that changes between runs), derives every answer, derives wrong
// answers from the misconceptions that apply, and proves that no wrong answer equals the right one.

import { runVariants, type VariantReport } from "../misconceptions/variants.js";
import type { RunResult } from "../sandbox/types.js";
import { buildChoices, distractorKeys, LATER_LINE, MAX_LABEL } from "./choices.js";
import { deriveAnswer, unusableRun, visibleOutput } from "./derive.js";
import { limiter } from "./limit.js";
import { readLessons } from "./load.js";
import type { CodeBlock, CodeRunner, Lesson, LessonProblem, Question } from "./types.js";
import { deriveWrongAnswers } from "./wrongAnswers.js";

export interface CheckReport {
  lessons: number;
  quizzes: number;
  /** Wrong answers offered that come from misconception rules (for clause questions: predicted clause sets). */
  derived: number;
  problems: LessonProblem[];
}

/** Sandbox runs kept in flight at once. */
const CONCURRENCY = 2;

export async function checkLessons(dir: string, runner: CodeRunner): Promise<CheckReport> {
  const set = await readLessons(dir);
  const problems = [...set.problems];
  const runs = new RunCache(runner);
  const quizzes = set.lessons.reduce((n, l) => n + l.sections.reduce((m, s) => m + s.questions.length, 0), 0);
  const derived = await Promise.all(set.lessons.map((lesson) => checkLesson(lesson, runs, problems)));
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { lessons: set.files, quizzes, derived: derived.reduce((a, b) => a + b, 0), problems };
}

/** Checks one lesson; returns how many derived wrong answers its questions offer. */
async function checkLesson(lesson: Lesson, runs: RunCache, problems: LessonProblem[]): Promise<number> {
  const problem = (line: number, message: string) => problems.push({ file: lesson.file, line, message });
  const checkRun = async (code: CodeBlock): Promise<RunResult | null> => {
    let pair: [RunResult, RunResult];
    try {
      pair = await runs.twice(code.source);
    } catch (err) {
      problem(code.line, `sandbox error: ${(err as Error).message}`);
      return null;
    }
    const [run, again] = pair;
    const unusable = unusableRun(run);
    if (unusable) {
      // Point at the failing code line when the sandbox knows it (a syntax error, for example).
      const at = run.exception?.line ? code.line + run.exception.line - 1 : code.line;
      problem(at, unusable);
      return null;
    }
    if (
      visibleOutput(run) !== visibleOutput(again) ||
      JSON.stringify(run.tries) !== JSON.stringify(again.tries)
    ) {
      problem(
        code.line,
        "the program's output changes from run to run; a quiz needs the same answer every time",
      );
    }
    return run;
  };

  const variantsOf = async (code: CodeBlock): Promise<VariantReport | null> => {
    try {
      return await runs.variants(code.source);
    } catch (err) {
      problem(code.line, (err as Error).message);
      return null;
    }
  };
  let derived = 0;
  await Promise.all(
    lesson.sections.map(async (section) => {
      const sectionRun = checkRun(section.code);
      await Promise.all(
        section.questions.map(async (question) => {
          const run = question.code === section.code ? await sectionRun : await checkRun(question.code);
          if (!run) return;
          const report = await variantsOf(question.code);
          if (report) derived += checkQuestion(question, run, report, problem);
        }),
      );
    }),
  );
  return derived;
}

/** Problems of one question; returns how many derived wrong answers it offers. */
function checkQuestion(
  question: Question,
  run: RunResult,
  report: VariantReport,
  problem: (line: number, message: string) => void,
): number {
  const label = `question "${question.id}"`;
  const derived = deriveAnswer(question, run);
  if (!derived.ok) {
    problem(question.line, `${label}: ${derived.reason}`);
    return 0;
  }
  const wrong = deriveWrongAnswers(question, run, derived.answer, report);
  const choices = buildChoices(question, derived.answer, wrong);
  const right = choices.filter((c) => c.correct);
  if (right.length === 0 && question.kind !== "clauses")
    problem(question.line, `${label}: the right answer is not among the choices`);
  const seen = new Set<string>();
  let equalsAnswer = false;
  for (const [i, d] of distractorKeys(question).entries()) {
    if (right.some((c) => c.key === d.key)) {
      problem(d.line, `${label}: distractor ${i + 1} ("${firstLine(d.text)}") equals the real answer`);
      equalsAnswer = true;
    }
    if (seen.has(d.key))
      problem(d.line, `${label}: distractor ${i + 1} ("${firstLine(d.text)}") is listed twice`);
    seen.add(d.key);
  }
  // Too few choices left is usually the consequence of a distractor equal to the answer: say it once.
  if (question.kind !== "clauses" && choices.length < 3 && !equalsAnswer) {
    problem(
      question.line,
      `${label}: only ${choices.length} different choice(s): no misconception gives enough wrong answers here; add hand-written distractors, each naming its misconception`,
    );
  }
  if (question.kind === "first_line" || question.kind === "escapes") {
    for (const c of choices) {
      if (c.text.length > MAX_LABEL) {
        problem(
          question.line,
          `${label}: choice "${c.text.slice(0, 30)}..." is longer than ${MAX_LABEL} characters`,
        );
      }
    }
  }
  if (question.kind === "clauses") return wrong.length;
  return choices.filter((c) => c.derived && c.misconceptions.some((m) => m.id !== LATER_LINE)).length;
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return text.includes("\n") ? `${line} ...` : line;
}

/** Each distinct program runs twice at most, however many questions share it (and its variants once). */
class RunCache {
  private readonly runs = new Map<string, Promise<[RunResult, RunResult]>>();
  private readonly reports = new Map<string, Promise<VariantReport>>();
  private readonly limit = limiter(CONCURRENCY);

  constructor(private readonly runner: CodeRunner) {}

  twice(code: string): Promise<[RunResult, RunResult]> {
    let pair = this.runs.get(code);
    if (!pair) {
      const one = () => this.limit(() => this.runner({ code }));
      pair = (async () => [await one(), await one()] as [RunResult, RunResult])();
      this.runs.set(code, pair);
    }
    return pair;
  }

  variants(code: string): Promise<VariantReport> {
    let report = this.reports.get(code);
    if (!report) {
      report = this.limit(() => runVariants(code, this.runner));
      this.reports.set(code, report);
    }
    return report;
  }
}

// What a loaded lesson looks like to the rest of the program (quiz engine, bot, CLI).
// The file format that produces it is described in lessons/README.md and parsed by ./parse.ts.

import type { ExplainedRun } from "../runs/index.js";
import type { RunRequest } from "../sandbox/types.js";

/** Runs code in the sandbox. Lessons and quizzes never run code any other way. */
export type CodeRunner = (request: RunRequest) => Promise<ExplainedRun>;

export const QUESTION_KINDS = ["first_line", "whole_output", "clauses", "escapes"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** A piece of Python source and the line of the lesson file its first line sits on. */
export interface CodeBlock {
  source: string;
  /** File line of the code's first line, so a code line N maps to file line `line + N - 1`. */
  line: number;
}

/** A wrong answer for an `escapes` question: either an exception escapes, or the caller receives a value. */
export type EscapeChoice = { escapes: string } | { receives: string };

interface QuestionBase {
  /** `lessonId/questionId`: unique across all lessons, stable across edits of other questions. */
  key: string;
  id: string;
  lessonId: string;
  sectionId: string;
  prompt: string;
  hint: string;
  explanation: string;
  code: CodeBlock;
  /** File line of the ```question fence. */
  line: number;
}

export interface FirstLineQuestion extends QuestionBase {
  kind: "first_line";
  distractors: string[];
}
export interface WholeOutputQuestion extends QuestionBase {
  kind: "whole_output";
  distractors: string[];
}
export interface ClausesQuestion extends QuestionBase {
  kind: "clauses";
  /** Line (in the question's code) of the `try` the question is about; default: the first try that ran. */
  focusLine: number | null;
  /** Which execution of that try (1-based); needed when it runs more than once. */
  focusRun: number | null;
}
export interface EscapesQuestion extends QuestionBase {
  kind: "escapes";
  distractors: EscapeChoice[];
}

export type Question = FirstLineQuestion | WholeOutputQuestion | ClausesQuestion | EscapesQuestion;

export interface Section {
  id: string;
  title: string;
  /** Teaching text (Markdown), without the example code and the question blocks. */
  text: string;
  code: CodeBlock;
  questions: Question[];
  line: number;
}

export interface Lesson {
  id: string;
  title: string;
  /** Slash command name (Discord rules: lowercase, 1-32 chars). */
  command: string;
  order: number;
  prerequisites: string[];
  /** Text before the first section. */
  intro: string;
  sections: Section[];
  /** Path of the lesson file, as given to the loader. */
  file: string;
}

/** A problem in a lesson file, printed as `FILE:LINE: message`. */
export interface LessonProblem {
  file: string;
  line: number;
  message: string;
}

export function formatProblem(p: LessonProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}

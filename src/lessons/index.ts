// Lessons: the file format, the loader, answer derivation and the checker.
//
// EXPORTED API (the Discord bot and the CLI use only this module):
//   LESSONS_DIR                                      the repository's lessons/ folder: the course the bot teaches
//   loadLessons(dir): Promise<Lesson[]>             all lessons sorted by `order`; throws LessonLoadError (.problems) if any file is wrong
//   readLessons(dir): Promise<{ files, lessons, problems }>  the same without throwing (the checker uses it)
//   parseLesson(text, file): { lesson | null, problems }
//   Lesson { id, title, command, order, prerequisites, intro, sections: Section[], file }
//   Section { id, title, text (Markdown), code: { source, line }, questions: Question[], line }
//   Question { key "lesson/question", id, lessonId, sectionId, kind, prompt, hint, explanation, code, line, ... }
//   QuestionKind = "first_line" | "whole_output" | "clauses" | "escapes"
//   CodeRunner = (RunRequest) => Promise<ExplainedRun>   how lessons and quizzes run code: only ever the sandbox (src/runs)
//   deriveAnswer(question, run: RunResult) -> { ok: true, answer } | { ok: false, reason }
//   buildChoices(question, answer) -> Choice[] { key, text, correct }   canonical order: the right answer first
//   checkLessons(dir, runner) -> { lessons, quizzes, problems }          what `tutor lessons check` prints
//   openSandboxRunner() (./runner.ts, imported directly so loading lessons never loads the sandbox) -> { run, close() }
//   formatProblem(p) -> "FILE:LINE: reason"
// The file format itself is documented for teachers in lessons/README.md.

export { type CheckReport, checkLessons } from "./check.js";
export { buildChoices, type Choice, MAX_CHOICES, MAX_LABEL } from "./choices.js";
export { type Derivation, type DerivedAnswer, deriveAnswer, visibleOutput } from "./derive.js";
export { LESSONS_DIR, LessonLoadError, type LessonSet, loadLessons, readLessons } from "./load.js";
export { parseLesson } from "./parse.js";
export * from "./types.js";

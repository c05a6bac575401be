// Lessons: the file format, the loader, answer derivation and the checker.
//
// EXPORTED API (the Discord bot and the CLI use only this module):
//   loadLessons(dir): Promise<Lesson[]>            all lessons sorted by `order`; throws LessonLoadError (.problems) if any file is wrong
//   readLessons(dir): Promise<{ lessons, problems }> the same without throwing (the checker uses it)
//   parseLesson(text, file): { lesson | null, problems }
//   Lesson { id, title, command, order, prerequisites, intro, sections: Section[], file }
//   Section { id, title, text (Markdown), code: { source, line }, questions: Question[], line }
//   Question { key "lesson/question", id, lessonId, sectionId, kind, prompt, hint, explanation, code, line, ... }
//   QuestionKind = "first_line" | "whole_output" | "clauses" | "escapes"
//   deriveAnswer(question, run: RunResult) -> { ok: true, answer } | { ok: false, reason }   (./derive.ts)
//   buildChoices(question, answer) -> Choice[] (canonical order: the right answer first)    (./choices.ts)
//   checkLessons(dir, runner) -> { lessons, quizzes, problems }                             (./check.ts)
//   formatProblem(p) -> "FILE:LINE: reason"
// The file format itself is documented for teachers in lessons/README.md.
export { LessonLoadError, loadLessons, readLessons } from "./load.js";
export { parseLesson } from "./parse.js";
export * from "./types.js";

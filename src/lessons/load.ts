// Reads every lesson file of a directory and checks what only the whole set can show:
// unique ids and commands, known prerequisites, no prerequisite cycles.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseLesson } from "./parse.js";
import { formatProblem, type Lesson, type LessonProblem } from "./types.js";

/** The course the bot teaches and `npm run deploy-commands` registers: the repository's lessons/ folder. */
export const LESSONS_DIR = new URL("../../lessons/", import.meta.url).pathname;

export interface LessonSet {
  /** Lesson files found. */
  files: number;
  /** Lessons sorted by `order`; a lesson with problems is left out. */
  lessons: Lesson[];
  problems: LessonProblem[];
}

/** Lesson files are the `*.md` files of the directory, except README.md (the format's documentation). */
export async function readLessons(dir: string): Promise<LessonSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".md") && n.toLowerCase() !== "readme.md").sort();
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : String(err);
    return { files: 0, lessons: [], problems: [{ file: dir, line: 0, message: why }] };
  }
  const lessons: Lesson[] = [];
  const problems: LessonProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const result = parseLesson(await readFile(file, "utf8"), file);
    problems.push(...result.problems);
    if (result.lesson) lessons.push(result.lesson);
  }
  problems.push(...crossLessonProblems(lessons));
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { files: names.length, lessons, problems };
}

export class LessonLoadError extends Error {
  override name = "LessonLoadError";
  constructor(readonly problems: LessonProblem[]) {
    super(`lessons have problems:\n${problems.map(formatProblem).join("\n")}`);
  }
}

/** The lessons of a directory; throws LessonLoadError listing every problem if any file is wrong. */
export async function loadLessons(dir: string): Promise<Lesson[]> {
  const { lessons, problems } = await readLessons(dir);
  if (problems.length > 0) throw new LessonLoadError(problems);
  return lessons;
}

function crossLessonProblems(lessons: Lesson[]): LessonProblem[] {
  const problems: LessonProblem[] = [];
  const byId = new Map<string, Lesson>();
  const byCommand = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const sameId = byId.get(lesson.id);
    if (sameId)
      problems.push({
        file: lesson.file,
        line: 2,
        message: `lesson id "${lesson.id}" is also used by ${sameId.file}`,
      });
    byId.set(lesson.id, lesson);
    const sameCommand = byCommand.get(lesson.command);
    if (sameCommand) {
      problems.push({
        file: lesson.file,
        line: 2,
        message: `command "${lesson.command}" is also used by ${sameCommand.file}`,
      });
    }
    byCommand.set(lesson.command, lesson);
  }
  for (const lesson of lessons) {
    for (const pre of lesson.prerequisites) {
      const target = byId.get(pre);
      if (!target) problems.push({ file: lesson.file, line: 2, message: `unknown prerequisite "${pre}"` });
      else if (target.order >= lesson.order) {
        problems.push({
          file: lesson.file,
          line: 2,
          message: `prerequisite "${pre}" must come earlier in the order (${target.order} >= ${lesson.order})`,
        });
      }
    }
  }
  return problems;
}

// `tutor lessons show … --pictures DIR`: the picture of each program a lesson shows, written as PNG
// files, one per section example (LESSON) or the one of a question (LESSON/QUESTION).
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readLessons } from "../lessons/load.js";
import { openSandboxRunner } from "../lessons/runner.js";
import { renderFlowPng } from "../picture/index.js";

interface Target {
  file: string;
  code: string;
}

/** Runs each program once in the sandbox and writes its picture; prints each file with its alt text. */
export async function writeLessonPictures(dir: string, key: string, outDir: string): Promise<number> {
  const { lessons } = await readLessons(dir);
  const [lessonId, questionId] = key.split("/");
  const lesson = lessons.find((l) => l.id === lessonId);
  if (!lesson) {
    console.error(`tutor lessons show: no lesson "${lessonId}" in ${dir}`);
    return 1;
  }
  const targets: Target[] = questionId
    ? lesson.sections.flatMap((s) =>
        s.questions
          .filter((q) => q.id === questionId)
          .map((q) => ({ file: `${lesson.id}-${q.id}.png`, code: q.code.source })),
      )
    : lesson.sections.map((s) => ({ file: `${lesson.id}-${s.id}.png`, code: s.code.source }));
  if (targets.length === 0) {
    console.error(`tutor lessons show: no question "${key}" in ${dir}`);
    return 1;
  }
  await mkdir(outDir, { recursive: true });
  const sandbox = await openSandboxRunner();
  try {
    for (const t of targets) {
      const run = await sandbox.run({ code: t.code });
      if (run.status === "refused") {
        console.error(`tutor lessons show: ${t.file}: not run: ${run.reason ?? "refused"}`);
        return 3;
      }
      const picture = renderFlowPng(run, t.code);
      const path = join(outDir, t.file);
      await writeFile(path, picture.png);
      console.log(`${path}\t${picture.alt}`);
    }
    return 0;
  } finally {
    await sandbox.close();
  }
}

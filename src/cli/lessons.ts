// `tutor lessons check [--dir DIR]`: validate every lesson and re-derive every quiz answer in the sandbox.
// `tutor lessons show KEY [--dir DIR] [--seed SEED]`: preview one question as a member sees it, with its derived answer.
import { checkLessons } from "../lessons/check.js";
import { readLessons } from "../lessons/load.js";
import { openSandboxRunner } from "../lessons/runner.js";
import { formatProblem } from "../lessons/types.js";
import { createQuizEngine } from "../quiz/engine.js";
import { plainQuestionText, plainResultText } from "../quiz/text.js";
import { openStore } from "../store/db.js";

const USAGE =
  "usage: tutor lessons check [--dir DIR]\n       tutor lessons show LESSON/QUESTION [--dir DIR] [--seed SEED]\n       tutor lessons show LESSON[/QUESTION] --pictures OUTDIR [--dir DIR]";

interface Options {
  dir: string;
  seed: string;
  positional: string[];
  /** --pictures OUTDIR: write the pictures of the programs shown (./lessonPictures.ts). */
  pictures?: string;
}

function parseArgs(args: string[]): Options | string {
  const options: Options = { dir: "lessons", seed: "preview", positional: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = args[i + 1];
    if ((arg === "--dir" || arg === "--seed" || arg === "--pictures") && value !== undefined) {
      options[arg === "--dir" ? "dir" : arg === "--seed" ? "seed" : "pictures"] = value;
      i++;
    } else if (arg.startsWith("-")) {
      return `unexpected argument "${arg}"`;
    } else {
      options.positional.push(arg);
    }
  }
  return options;
}

export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const options = parseArgs(rest);
  const usageError = (why: string) => {
    console.error(`tutor lessons: ${why}\n${USAGE}`);
    return 2;
  };
  if (typeof options === "string") return usageError(options);
  if (sub === "check") {
    if (options.positional.length > 0) return usageError(`unexpected argument "${options.positional[0]}"`);
    return check(options.dir);
  }
  if (sub === "show") {
    if (options.positional.length !== 1)
      return usageError("show needs one question key, like finally/outcomes-first");
    if (options.pictures !== undefined) {
      const { writeLessonPictures } = await import("./lessonPictures.js");
      return writeLessonPictures(options.dir, options.positional[0] as string, options.pictures);
    }
    return show(options);
  }
  return usageError(sub === undefined ? "no subcommand" : `unknown subcommand "${sub}"`);
}

async function show({ dir, seed, positional }: Options): Promise<number> {
  const key = positional[0] as string;
  const { lessons, problems } = await readLessons(dir);
  for (const p of problems) console.error(formatProblem(p));
  // Only the one question goes into the engine, so only its program runs.
  const only = lessons.flatMap((l) =>
    l.sections.flatMap((s) =>
      s.questions
        .filter((q) => q.key === key)
        .map(() => ({ ...l, sections: [{ ...s, questions: s.questions.filter((q) => q.key === key) }] })),
    ),
  );
  if (only.length === 0) {
    console.error(`tutor lessons show: no question "${key}" in ${dir}`);
    return 1;
  }
  const sandbox = await openSandboxRunner();
  const store = await openStore(":memory:");
  try {
    const engine = createQuizEngine({ store, lessons: only, runner: sandbox.run });
    const report = await engine.prepare();
    const unavailable = report.unavailable.find((u) => u.key === key);
    if (unavailable) {
      console.error(`tutor lessons show: ${key}: ${unavailable.reason}`);
      return 1;
    }
    const question = engine.presentQuestion(key, seed);
    const right = engine.answer({ key, seed, choiceIds: [] }).correctChoiceIds;
    console.log(plainQuestionText(question));
    console.log("---");
    console.log(plainResultText(question, engine.answer({ key, seed, choiceIds: right })));
    return 0;
  } finally {
    await store.close();
    await sandbox.close();
  }
}

async function check(dir: string): Promise<number> {
  let sandbox: Awaited<ReturnType<typeof openSandboxRunner>>;
  try {
    sandbox = await openSandboxRunner();
  } catch (err) {
    console.error(`tutor lessons check: cannot run code here: ${(err as Error).message}`);
    return 3;
  }
  try {
    const report = await checkLessons(dir, sandbox.run);
    for (const p of report.problems) console.log(formatProblem(p));
    console.log(`${report.lessons} lessons, ${report.quizzes} quizzes checked`);
    return report.problems.length > 0 ? 1 : 0;
  } finally {
    await sandbox.close();
  }
}

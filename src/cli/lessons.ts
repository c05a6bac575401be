// `tutor lessons check [--dir DIR]`: validate every lesson and re-derive every quiz answer in the sandbox.
import { checkLessons } from "../lessons/check.js";
import { openSandboxRunner } from "../lessons/runner.js";
import { formatProblem } from "../lessons/types.js";

const USAGE = "usage: tutor lessons check [--dir DIR]";

export async function main(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "check") {
    console.error(sub === undefined ? USAGE : `tutor lessons: unknown subcommand "${sub}"\n${USAGE}`);
    return 2;
  }
  let dir = "lessons";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--dir" && rest[i + 1] !== undefined) {
      dir = rest[++i] as string;
    } else {
      console.error(`tutor lessons check: unexpected argument "${arg}"\n${USAGE}`);
      return 2;
    }
  }
  let sandbox: Awaited<ReturnType<typeof openSandboxRunner>>;
  try {
    sandbox = await openSandboxRunner();
  } catch (err) {
    console.error(`tutor lessons check: cannot run code: ${(err as Error).message}`);
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

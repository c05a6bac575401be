// `tutor`: the command-line face of the core. Each subcommand lives in its own module and returns an exit code.
import { ConfigError } from "../config.js";

interface Subcommand {
  /** Each form of the command with what it does. */
  usage: Array<[form: string, summary: string]>;
  load: () => Promise<{ main: (args: string[]) => Promise<number> }>;
}

const subcommands: Record<string, Subcommand> = {
  run: {
    usage: [
      ["tutor run [--json] [--stdin FILE] FILE|-", "run Python code in the sandbox, exactly as /run does"],
      [
        "tutor run ... --picture FILE.png [--theme light]",
        "also write the picture of the run's flow (stdout unchanged)",
      ],
    ],
    load: () => import("./run.js"),
  },
  doctor: {
    usage: [["tutor doctor [--json]", "probe every sandbox protection live and print the isolation tier"]],
    load: () => import("./doctor.js"),
  },
  lessons: {
    usage: [
      [
        "tutor lessons check [--dir DIR]",
        "validate lessons and re-derive every quiz answer by running its code",
      ],
      [
        "tutor lessons show LESSON/QUESTION [--dir DIR] [--seed SEED]",
        "preview one question as a member sees it",
      ],
      [
        "tutor lessons show LESSON[/QUESTION] --pictures OUTDIR",
        "write the pictures of a lesson's examples (or of one question's program)",
      ],
    ],
    load: () => import("./lessons.js"),
  },
  store: {
    usage: [
      [
        "tutor store copy --from FILE",
        "copy a SQLite store (DATABASE_PATH) into the empty PostgreSQL database at DATABASE_URL",
      ],
    ],
    load: () => import("./store.js"),
  },
  worker: {
    usage: [
      [
        "tutor worker",
        "run members' code for the bot: takes runs from RUNS_QUEUE_URL after the sandbox doctor passes",
      ],
    ],
    load: () => import("./worker.js"),
  },
};

function help(): string {
  const entries = Object.values(subcommands).flatMap((s) => s.usage);
  const width = Math.max(...entries.map(([form]) => form.length));
  const rows = entries.map(([form, summary]) => `  ${form.padEnd(width)}  ${summary}`);
  return [
    "Usage: tutor <command> [options]",
    "",
    "Commands:",
    ...rows,
    "",
    "Exit codes: 0 ok, 1 check failed, 2 usage error, 3 refused.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return name === undefined ? 2 : 0;
  }
  const sub = subcommands[name];
  if (!sub) {
    console.error(`tutor: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  const mod = await sub.load();
  return mod.main(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exitCode = 2;
  } else {
    console.error(`tutor: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.LOG_LEVEL === "debug" && err instanceof Error) console.error(err.stack);
    process.exitCode = 1;
  }
}

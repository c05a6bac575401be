// `npm start`: the Discord bot when DISCORD_TOKEN is set; without it (or with `--playground`, which
// `npm run playground` passes) the playground: the same bot on a local Discord, shown in a web page.
// Either way: read the settings, connect the sandbox (run by the doctor first), start, and on Ctrl-C close
// every part in order.

import { LESSONS_DIR } from "./bot/deploy-commands.js";
import { createBot } from "./bot/start.js";
import {
  type BotConfig,
  ConfigError,
  loadBotConfig,
  loadCoreConfig,
  loadPlaygroundConfig,
} from "./config.js";
import { LessonLoadError, loadLessons } from "./lessons/index.js";
import { createLogger, type Logger } from "./logger.js";
import { startPlayground, startupLines } from "./playground/start.js";
import { createQuizEngine } from "./quiz/index.js";
import { createSandboxHost } from "./sandbox/host/client.js";
import type { Sandbox } from "./sandbox/index.js";
import { openDatabase } from "./store/db.js";

/** What runs in front of the sandbox: the Discord bot or the playground. */
interface Front {
  stop(): Promise<void>;
}

async function main(): Promise<number> {
  const playground = process.argv.includes("--playground") || !process.env.DISCORD_TOKEN;
  // Every setting is checked before anything starts, so a wrong one stops start-up with its one line.
  const core = loadCoreConfig();
  const settings = playground ? loadPlaygroundConfig() : null;
  const botConfig = playground ? null : loadBotConfig();
  // The playground is for people trying the bot: its log stays quiet unless LOG_LEVEL asks for more.
  const logger = createLogger(playground && !process.env.LOG_LEVEL ? "warn" : core.LOG_LEVEL);
  // The sandbox driver runs in a child process of its own, so starting sandboxes never stalls the bot.
  const sandbox = createSandboxHost(core, logger);
  let front: Front | null = null;
  // The front (bot or playground), the sandboxes (warm ones too) and whatever the front holds are closed in
  // that order, each even if an earlier one failed; true when all closed cleanly. The sandbox host would
  // otherwise keep the process alive.
  const closeAll = async (): Promise<boolean> => {
    let clean = true;
    for (const [what, close] of [
      ["the bot", async () => front?.stop()],
      ["the sandbox", () => sandbox.close()],
    ] as const) {
      try {
        await close();
      } catch (err) {
        clean = false;
        logger.error({ err }, `could not close ${what}`);
      }
    }
    return clean;
  };
  // Ctrl-C or a service stop. A second signal stops waiting.
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, "shutting down");
    process.exit((await closeAll()) ? 0 : 1);
  };
  process.on("SIGINT", (signal) => void shutdown(signal));
  process.on("SIGTERM", (signal) => void shutdown(signal));
  try {
    // The doctor probes every protection live; when it denies public runs the sandbox refuses them all,
    // and /run tells members so.
    const doctor = sandbox.doctor().then((report) => logDoctor(report, logger, playground));
    if (settings) {
      await doctor;
      if (stopping) return 0;
      const started = await startPlayground({ settings, env: process.env, logger, sandbox });
      front = { stop: () => started.close() };
      if (stopping) return 0; // shutdown() closes it
      for (const line of startupLines(started.url, settings.PLAYGROUND_HOST)) console.log(line);
      return 0;
    }
    if (botConfig) front = await startDiscordBot(botConfig, sandbox, logger, doctor);
    return 0;
  } catch (err) {
    if (stopping) return 0; // a step cut short by the shutdown, which exits
    await closeAll();
    throw err;
  }
}

function logDoctor(
  report: Awaited<ReturnType<Sandbox["doctor"]>>,
  logger: Logger,
  playground: boolean,
): void {
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  if (report.publicRuns) logger.info({ tier: report.tier, failed }, "sandbox doctor: public runs allowed");
  else if (playground)
    console.error(
      `The sandbox refuses to run code on this machine (tier ${report.tier}): /run will say so. \`npx tutor doctor\` tells why.`,
    );
  else
    logger.error(
      { tier: report.tier, failed },
      "sandbox doctor: public runs REFUSED, run `npx tutor doctor`",
    );
}

/** The bot on Discord itself, on the configured database. Lesson answers are derived while the doctor runs. */
async function startDiscordBot(
  config: BotConfig,
  sandbox: Sandbox,
  logger: Logger,
  doctor: Promise<void>,
): Promise<Front> {
  const db = openDatabase(config.DATABASE_PATH);
  try {
    const runCode = sandbox.run.bind(sandbox);
    const engine = createQuizEngine({ db, lessons: await loadLessons(LESSONS_DIR), runner: runCode });
    const [, prepared] = await Promise.all([doctor, engine.prepare()]);
    logger.info(prepared, "quiz answers prepared");
    const bot = createBot({ config, logger, db, content: engine, runCode });
    const front = {
      async stop() {
        try {
          await bot.stop();
        } finally {
          db.close();
        }
      },
    };
    try {
      await bot.start();
    } catch (err) {
      await front.stop().catch(() => undefined);
      throw err;
    }
    return front;
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof LessonLoadError) console.error(err.message);
    else if (err instanceof Error && /TOKEN_INVALID|invalid token/i.test(err.message))
      console.error("Discord refused the token: check DISCORD_TOKEN.");
    else console.error(`The bot could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);

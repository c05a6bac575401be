// `npm start`: the Discord bot. Reads the settings, opens the database, loads and prepares the lessons,
// connects the sandbox, and logs in. Without a token it says what to set and how to try the bot locally.

import { type Bot, createBot } from "./bot/start.js";
import { type BotConfig, ConfigError, loadBotConfig } from "./config.js";
import { LESSONS_DIR, LessonLoadError, loadLessons } from "./lessons/index.js";
import { createLogger, type Logger } from "./logger.js";
import { createQuizEngine } from "./quiz/index.js";
import { createRunQueue } from "./runQueue/client.js";
import { createSharedCooldowns } from "./runQueue/cooldowns.js";
import { createSandboxHost } from "./runs/host/client.js";
import { explaining } from "./runs/index.js";
import { watchDoctor } from "./sandbox/doctorWatch.js";
import { isShardProcess, startShards } from "./shards/manager.js";
import { openStore } from "./store/db.js";

const NO_TOKEN = `The bot needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (from the Discord Developer Portal) in .env.
Set them, register the commands with \`npm run deploy-commands\` (set DISCORD_GUILD_ID for one server), then \`npm start\`.
To try the bot without Discord, run the end-to-end tests: \`npx vitest run test/e2e\` starts a local Discord
stand-in on 127.0.0.1 and drives the real bot through /finally quiz, /run and /config.`;

async function main(): Promise<number> {
  if (!process.env.DISCORD_TOKEN) {
    console.error(NO_TOKEN);
    return 2;
  }
  const config = loadBotConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // Sharded: this process only starts and watches the shards, each a bot process of its own.
  if (config.SHARD_COUNT !== 1 && !isShardProcess()) return await manageShards(config, logger);
  const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH });
  // The sandbox driver runs in a child process of its own, so starting sandboxes never stalls the bot; with
  // RUNS_QUEUE_URL, runs go through Redis to `tutor worker` processes instead, and the /run cooldown is shared.
  // Its doctor runs beside the bot (6-10 s); runs that arrive first wait for its verdict.
  // A verdict that allows runs after one that did not: derive the answers the paused sandbox refused.
  let runsAllowed: boolean | null = null;
  let prepareAnswers = (): void => undefined;
  const queueUrl = config.RUNS_QUEUE_URL;
  const runner = queueUrl
    ? explaining(createRunQueue(config, logger), logger)
    : createSandboxHost(config, logger);
  const cooldowns = queueUrl ? createSharedCooldowns(queueUrl, config.RUN_COOLDOWN_SECONDS) : undefined;
  const doctor = watchDoctor(runner, logger, {
    onVerdict: (report) => {
      if (runsAllowed === false && report.publicRuns) prepareAnswers();
      runsAllowed = report.publicRuns;
    },
  });
  const sandbox = doctor.sandbox;
  let bot: Bot | null = null;
  // The gateway, the sandboxes (warm ones too) and the database are closed in that order, each even if an
  // earlier one failed; true when all closed cleanly. The sandbox host would otherwise keep the process alive.
  const closeAll = async (): Promise<boolean> => {
    const steps: [string, () => Promise<void> | void][] = [
      ["the Discord connection", async () => bot?.stop()],
      ["the sandbox", () => sandbox.close()],
      ["the shared cooldowns", async () => cooldowns?.close()],
      ["the database", () => store.close()],
    ];
    let clean = true;
    for (const [what, close] of steps) {
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
    const runCode = sandbox.run.bind(sandbox);
    const engine = createQuizEngine({ store, lessons: await loadLessons(LESSONS_DIR), runner: runCode });
    // Connect first: Discord fails every interaction until the bot has. Cached answers are playable at
    // once; missing ones are derived in the background (through the sandbox, so after the doctor's verdict).
    prepareAnswers = () =>
      void engine
        .prepare()
        .then((prepared) => logger.info(prepared, "quiz answers prepared"))
        .catch((err: unknown) => logger.error({ err }, "quiz answers could not be prepared"));
    prepareAnswers();
    bot = createBot({
      config,
      logger,
      store,
      content: engine,
      runCode,
      sandboxStatus: doctor.status,
      ...(cooldowns ? { cooldowns } : {}),
    });
    await bot.start();
    return 0;
  } catch (err) {
    if (stopping) return 0; // a step cut short by the shutdown, which exits
    await closeAll();
    throw err;
  }
}

async function manageShards(config: BotConfig, logger: Logger): Promise<number> {
  const fleet = await startShards(config, logger);
  logger.info({ shards: fleet.count }, "all shards started");
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  logger.info({ signal }, "stopping the shards");
  process.once("SIGINT", () => process.exit(1)); // a second Ctrl-C stops waiting
  await fleet.stop();
  return 0;
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

// `npm start`: the Discord bot when DISCORD_TOKEN is set; without it (or with `--playground`, which
// `npm run playground` passes) the playground: the same bot on a local Discord, shown in a web page.
// Either way: check the settings, connect the sandbox (its doctor watching), start, and on Ctrl-C close
// every part in order.

import { type Bot, createBot } from "./bot/start.js";
import {
  type BotConfig,
  ConfigError,
  loadBotConfig,
  loadCoreConfig,
  loadPlaygroundConfig,
} from "./config.js";
import { LESSONS_DIR, LessonLoadError, loadLessons } from "./lessons/index.js";
import { createLogger, type Logger } from "./logger.js";
import { createQuizEngine } from "./quiz/index.js";
import type { createSharedCooldowns } from "./runQueue/cooldowns.js";
import { createSandboxHost } from "./runs/host/client.js";
import { type ExplainedRun, explaining } from "./runs/index.js";
import { type DoctorWatch, watchDoctor } from "./sandbox/doctorWatch.js";
import { isShardProcess, startShards } from "./shards/manager.js";
import { openStore } from "./store/db.js";

/** What runs in front of the sandbox: the Discord bot or the playground. */
interface Front {
  /** Stops answering: the gateway closed, the page too. */
  stop(): Promise<void>;
  /** Closes the database, once the sandbox has closed (a run that finishes still records itself). */
  closeStore(): Promise<void>;
}

async function main(): Promise<number> {
  const playground = process.argv.includes("--playground") || !process.env.DISCORD_TOKEN;
  // Every setting is checked before anything starts, so a wrong one stops start-up with its one line.
  const core = loadCoreConfig();
  const settings = playground ? loadPlaygroundConfig() : null;
  const config = playground ? null : loadBotConfig();
  // The playground is for people trying the bot: its log stays quiet unless LOG_LEVEL asks for more.
  const logger = createLogger(playground && !process.env.LOG_LEVEL ? "warn" : core.LOG_LEVEL);
  // Sharded: this process only starts and watches the shards, each a bot process of its own.
  if (config && config.SHARD_COUNT !== 1 && !isShardProcess()) return await manageShards(config, logger);
  // The sandbox driver runs in a child process of its own, so starting sandboxes never stalls the bot; with
  // RUNS_QUEUE_URL, the Discord bot's runs go through Redis to `tutor worker` processes instead, and the /run
  // cooldown is shared. The playground always runs code here, on this machine.
  // Its doctor runs beside the bot (6-10 s); runs that arrive first wait for its verdict.
  // A verdict that allows runs after one that did not: derive the answers the paused sandbox refused.
  const queueUrl = config?.RUNS_QUEUE_URL;
  // The queue's and the playground's modules (BullMQ, the page's bundler) load only when used: every module
  // loaded here delays the IDENTIFY, and Discord fails every interaction until it.
  const runner =
    config && queueUrl
      ? explaining((await import("./runQueue/client.js")).createRunQueue(config, logger), logger)
      : createSandboxHost(config ?? core, logger);
  const cooldowns =
    config && queueUrl
      ? (await import("./runQueue/cooldowns.js")).createSharedCooldowns(queueUrl, config.RUN_COOLDOWN_SECONDS)
      : undefined;
  let runsAllowed: boolean | null = null;
  let prepareAnswers = (): void => undefined;
  const doctor = watchDoctor(runner, logger, {
    onVerdict: (report) => {
      if (runsAllowed === false && report.publicRuns) prepareAnswers();
      if (settings && runsAllowed === null && !report.publicRuns)
        console.error(
          `The sandbox refuses to run code on this machine (tier ${report.tier}): /run will say so. \`npx tutor doctor\` tells why.`,
        );
      runsAllowed = report.publicRuns;
    },
  });
  const sandbox = doctor.sandbox;
  let front: Front | null = null;
  // The bot (or the playground), the sandboxes (warm ones too), the shared cooldowns and the database are
  // closed in that order, each even if an earlier one failed; true when all closed cleanly. The sandbox
  // host would otherwise keep the process alive.
  const closeAll = async (): Promise<boolean> => {
    const steps: [string, () => Promise<void> | void][] = [
      ["the bot", async () => front?.stop()],
      ["the sandbox", () => sandbox.close()],
      ["the shared cooldowns", async () => cooldowns?.close()],
      ["the database", async () => front?.closeStore()],
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
    if (settings) {
      const { startPlayground, startupLines } = await import("./playground/start.js");
      const started = await startPlayground({ settings, env: process.env, logger, sandbox, doctor });
      front = { stop: () => started.close(), closeStore: () => started.closeStore() };
      prepareAnswers = () => void started.prepareAnswers();
      if (stopping) return 0; // shutdown() closes it
      console.log(startupLines(started.url, settings.PLAYGROUND_HOST).join("\n")); // one write: a reader sees the lines together
    } else if (config) {
      front = await startDiscordBot({ config, logger, doctor, cooldowns }, (prepare) => {
        prepareAnswers = prepare;
      });
    }
    return 0;
  } catch (err) {
    if (stopping) return 0; // a step cut short by the shutdown, which exits
    await closeAll();
    throw err;
  }
}

/**
 * The bot on Discord itself. It connects first: Discord fails every interaction until the bot has. Cached
 * answers are playable at once; missing ones are derived in the background (through the sandbox, so after
 * the doctor's verdict).
 */
async function startDiscordBot(
  o: {
    config: BotConfig;
    logger: Logger;
    doctor: DoctorWatch<ExplainedRun>;
    cooldowns: ReturnType<typeof createSharedCooldowns> | undefined;
  },
  onPrepare: (prepare: () => void) => void,
): Promise<Front> {
  const { config, logger, doctor, cooldowns } = o;
  const store = await openStore({ url: config.DATABASE_URL, path: config.DATABASE_PATH });
  let bot: Bot | null = null;
  const front: Front = {
    stop: async () => bot?.stop(),
    closeStore: () => store.close(),
  };
  try {
    const runCode = doctor.sandbox.run.bind(doctor.sandbox);
    const engine = createQuizEngine({ store, lessons: await loadLessons(LESSONS_DIR), runner: runCode });
    const prepare = () =>
      void engine
        .prepare()
        .then((prepared) => {
          logger.info(prepared, "quiz answers prepared");
          void bot?.warmPictures(); // the questions just derived get their pictures too
        })
        .catch((err: unknown) => logger.error({ err }, "quiz answers could not be prepared"));
    onPrepare(prepare);
    prepare();
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
    return front;
  } catch (err) {
    await front.stop().catch(() => undefined);
    await front.closeStore().catch(() => undefined);
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

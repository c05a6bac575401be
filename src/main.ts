// `npm start`: the Discord bot. Reads the settings, opens the database, loads and prepares the lessons,
// connects the sandbox, and logs in. Without a token it says what to set and how to try the bot locally.

import { LESSONS_DIR } from "./bot/deploy-commands.js";
import { createBot } from "./bot/start.js";
import { ConfigError, loadBotConfig } from "./config.js";
import { LessonLoadError, loadLessons } from "./lessons/index.js";
import { createLogger } from "./logger.js";
import { createQuizEngine } from "./quiz/index.js";
import { createSandbox } from "./sandbox/index.js";
import { openDatabase } from "./store/db.js";

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
  const db = openDatabase(config.DATABASE_PATH);
  const sandbox = createSandbox(config, logger);
  const availability = await sandbox.availability();
  // The sandbox refuses every run by itself when isolation is not real; say so once at start-up.
  if (!availability.ok) logger.warn({ reason: availability.reason }, "code runs will be refused");
  const runCode = sandbox.run.bind(sandbox);
  const engine = createQuizEngine({ db, lessons: await loadLessons(LESSONS_DIR), runner: runCode });
  const report = await engine.prepare();
  logger.info(report, "quiz answers prepared");
  const bot = createBot({ config, logger, db, content: engine, runCode });
  const shutdown = async () => {
    await bot.stop();
    await sandbox.close();
    db.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown());
  process.once("SIGTERM", () => void shutdown());
  await bot.start();
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

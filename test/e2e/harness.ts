// Starts the local Discord stand-in and the real bot (discord.js) against it, on a fresh SQLite file (or the
// PostgreSQL database given as DATABASE_URL in `env`).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployCommands } from "../../src/bot/deploy-commands.js";
import { type Bot, createBot } from "../../src/bot/start.js";
import type { Clock, RunCode } from "../../src/bot/types.js";
import { type BotConfig, loadBotConfig } from "../../src/config.js";
import { LESSONS_DIR, loadLessons } from "../../src/lessons/index.js";
import { createLogger } from "../../src/logger.js";
import { createQuizEngine, type QuizEngine } from "../../src/quiz/index.js";
import { createSandboxHost } from "../../src/runs/host/client.js";
import { explained, type Runner } from "../../src/runs/index.js";
import { refused } from "../../src/sandbox/classify.js";
import { openStore, type Store } from "../../src/store/db.js";
import { DiscordStandIn } from "../standin/server.js";

export interface Harness {
  standin: DiscordStandIn;
  bot: Bot;
  config: BotConfig;
  engine: QuizEngine;
  sandbox: Runner | null;
  dbPath: string;
  /** The store the bot runs on now (a new one after restart()). */
  store: Store;
  clock: { now(): number; set(ms: number): void };
  /** Stops the bot (not the stand-in) and starts a new one on the same database: a restart. */
  restart(): Promise<Bot>;
  close(): Promise<void>;
}

/** Why tests that run code must skip here (null: run them); in CI an unavailable sandbox fails instead. */
export { sandboxSkipReason } from "../sandboxGate.js";

/** Refuses every run: for tests that never run code. */
export const noRuns: RunCode = async (request) => explained(refused("this test runs no code"), request);

export async function startHarness(
  opts: { env?: Record<string, string>; runCode?: RunCode } = {},
): Promise<Harness> {
  const standin = await new DiscordStandIn().start();
  const dir = mkdtempSync(join(tmpdir(), "tutor-e2e-"));
  const dbPath = join(dir, "tutor.db");
  const config = loadBotConfig({
    DISCORD_TOKEN: standin.token,
    DISCORD_APPLICATION_ID: standin.applicationId,
    DISCORD_GUILD_ID: standin.guildId,
    DISCORD_API_URL: standin.url,
    DATABASE_PATH: dbPath,
    LOG_LEVEL: "silent",
    RUN_COOLDOWN_SECONDS: "0",
    ...opts.env,
  });
  let offset = 0;
  const clock: Harness["clock"] & Clock = {
    now: () => Date.now() + offset,
    set: (ms) => {
      offset = ms - Date.now();
    },
  };
  // As src/main.ts runs it: the driver in its own process.
  const sandbox: Runner | null = opts.runCode ? null : createSandboxHost(config);
  const runCode = opts.runCode ?? ((req) => (sandbox as Runner).run(req));
  // E2E_LOG=debug shows the bot's own log while a test runs.
  const logger = createLogger(process.env.E2E_LOG ?? "silent");
  const where = { url: config.DATABASE_URL, path: dbPath };
  let store = await openStore(where);
  const lessons = await loadLessons(LESSONS_DIR);
  let engine = createQuizEngine({ store, lessons, runner: runCode, clock: clock.now });
  await engine.prepare();
  await deployCommands(config);
  let bot = createBot({ config, logger, store, content: engine, runCode, clock, schedulerTickMs: 3_600_000 });
  await bot.start();
  const h: Harness = {
    standin,
    bot,
    config,
    engine,
    sandbox,
    dbPath,
    store,
    clock,
    async restart() {
      await bot.stop();
      await store.close();
      store = await openStore(where);
      engine = createQuizEngine({ store, lessons, runner: runCode, clock: clock.now });
      await engine.prepare();
      bot = createBot({ config, logger, store, content: engine, runCode, clock, schedulerTickMs: 3_600_000 });
      h.bot = bot;
      h.engine = engine;
      h.store = store;
      await bot.start();
      return bot;
    },
    async close() {
      await bot.stop();
      await store.close();
      await standin.stop();
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

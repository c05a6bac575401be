// Starts the local Discord stand-in and the real bot (discord.js) against it, on a fresh SQLite file.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployCommands, LESSONS_DIR } from "../../src/bot/deploy-commands.js";
import { type Bot, createBot } from "../../src/bot/start.js";
import type { Clock, RunCode } from "../../src/bot/types.js";
import { type BotConfig, loadBotConfig } from "../../src/config.js";
import { loadLessons } from "../../src/lessons/index.js";
import { createLogger } from "../../src/logger.js";
import { createQuizEngine, type QuizEngine } from "../../src/quiz/index.js";
import { refused } from "../../src/sandbox/classify.js";
import { createSandboxHost } from "../../src/sandbox/host/client.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { openDatabase } from "../../src/store/db.js";
import { DiscordStandIn } from "../standin/server.js";

export interface Harness {
  standin: DiscordStandIn;
  bot: Bot;
  config: BotConfig;
  engine: QuizEngine;
  sandbox: Sandbox | null;
  dbPath: string;
  clock: { now(): number; set(ms: number): void };
  /** Stops the bot (not the stand-in) and starts a new one on the same database: a restart. */
  restart(): Promise<Bot>;
  close(): Promise<void>;
}

/**
 * Why tests that run code must skip here (null: the sandbox runs code). A test that needs the sandbox
 * skips, saying why, rather than hang, when this machine cannot isolate code or the driver does not answer.
 */
export async function sandboxSkipReason(timeoutMs = 20_000): Promise<string | null> {
  const sandbox = createSandbox(loadBotConfig({ DISCORD_TOKEN: "probe", DISCORD_APPLICATION_ID: "12345" }));
  try {
    const availability = await sandbox.availability();
    if (!availability.ok) return `the sandbox cannot run code here: ${availability.reason}`;
    const probe = sandbox.run({ code: "print(6 * 7)\n" });
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs).unref());
    const result = await Promise.race([probe, timer]);
    if (!result) return `the sandbox did not answer a print(6 * 7) within ${timeoutMs / 1000} s`;
    if (result.stdout !== "42\n")
      return `the sandbox ran print(6 * 7) as ${result.status}: ${result.reason ?? result.stderr}`;
    return null;
  } finally {
    await Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}

/** Refuses every run: for tests that never run code. */
export const noRuns: RunCode = async () => refused("this test runs no code");

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
  const sandbox: Sandbox | null = opts.runCode ? null : createSandboxHost(config);
  const runCode = opts.runCode ?? ((req) => (sandbox as Sandbox).run(req));
  // E2E_LOG=debug shows the bot's own log while a test runs.
  const logger = createLogger(process.env.E2E_LOG ?? "silent");
  let db = openDatabase(dbPath);
  const lessons = await loadLessons(LESSONS_DIR);
  let engine = createQuizEngine({ db, lessons, runner: runCode, clock: clock.now });
  await engine.prepare();
  await deployCommands(config);
  let bot = createBot({ config, logger, db, content: engine, runCode, clock, schedulerTickMs: 3_600_000 });
  await bot.start();
  const h: Harness = {
    standin,
    bot,
    config,
    engine,
    sandbox,
    dbPath,
    clock,
    async restart() {
      await bot.stop();
      db.close();
      db = openDatabase(dbPath);
      engine = createQuizEngine({ db, lessons, runner: runCode, clock: clock.now });
      await engine.prepare();
      bot = createBot({ config, logger, db, content: engine, runCode, clock, schedulerTickMs: 3_600_000 });
      h.bot = bot;
      h.engine = engine;
      await bot.start();
      return bot;
    },
    async close() {
      await bot.stop();
      db.close();
      await standin.stop();
      await sandbox?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

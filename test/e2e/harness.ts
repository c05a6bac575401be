// Starts the local Discord stand-in and the real bot (discord.js) against it, on a fresh SQLite file (or the
// PostgreSQL database given as DATABASE_URL in `env`).
// Distributed (E2E_MODE=distributed, the vitest project "e2e-distributed"): the same scenarios with the bot
// on a fresh PostgreSQL database, its runs through Redis to two `tutor worker` processes, its /run cooldown
// in Redis, and two gateway shards, each with its own store connection. The guild belongs to shard 1, so
// shard 0 hears nothing of it: the shard that owns a guild answers it, and the rest must not get in the way.

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
import { createRunQueue } from "../../src/runQueue/client.js";
import { createSharedCooldowns } from "../../src/runQueue/cooldowns.js";
import { createSandboxHost } from "../../src/runs/host/client.js";
import { explained, explaining, type Runner } from "../../src/runs/index.js";
import { refused } from "../../src/sandbox/classify.js";
import { openStore, type Store } from "../../src/store/db.js";
import { inspectQueue, startWorker, type WorkerProcess, waitForWorkers } from "../runQueue/workers.js";
import { type PostgresServer, startPostgres } from "../services/postgres.js";
import { type RedisServer, startRedis } from "../services/redis.js";
import { DiscordStandIn, guildOnShard } from "../standin/server.js";

/** Whether this run of the e2e suite is the distributed one (see the top of this file). */
export const DISTRIBUTED = process.env.E2E_MODE === "distributed";
/** The gateway shards the bot runs as, and the one that owns the stand-in's guild. */
const SHARDS = DISTRIBUTED ? 2 : 1;
const GUILD_SHARD = SHARDS - 1;

export interface Harness {
  standin: DiscordStandIn;
  /** The shard that owns the guild (the only one when not distributed). */
  bot: Bot;
  /** Every shard, in shard order. */
  bots: Bot[];
  config: BotConfig;
  engine: QuizEngine;
  sandbox: Runner | null;
  /** How many runs can run at once: the sandbox's slots (SANDBOX_CONCURRENCY), on each worker when distributed. */
  runSlots: number;
  dbPath: string;
  /** The store the bot runs on now (a new one after restart()). */
  store: Store;
  clock: { now(): number; set(ms: number): void };
  /** Runs every shard's daily-post check at once: the guilds posted to, across shards. */
  tickSchedulers(): Promise<string[]>;
  /** Stops the bot (every shard; not the stand-in) and starts it again on the same database: a restart. */
  restart(): Promise<Bot>;
  /** Stops one shard and starts it again (its own store connection too); the others keep running. */
  restartShard(shard: number): Promise<Bot>;
  close(): Promise<void>;
}

/** Why tests that run code must skip here (null: run them); in CI an unavailable sandbox fails instead. */
export { sandboxSkipReason } from "../sandboxGate.js";

/** Refuses every run: for tests that never run code. */
export const noRuns: RunCode = async (request) => explained(refused("this test runs no code"), request);

/** What the distributed run adds around the bot: PostgreSQL, Redis and (when code runs) two workers. */
interface Services {
  env: Record<string, string>;
  queueUrl: string | null;
  /** `tutor worker` processes running the bot's code (0: the bot runs it itself). */
  workers: number;
  close(): Promise<void>;
}

/** `env`: the test's settings; its sandbox settings (limits, slots) go to the workers, which run the code. */
async function startServices(runsCode: boolean, env: Record<string, string>): Promise<Services> {
  if (!DISTRIBUTED) return { env: {}, queueUrl: null, workers: 0, close: async () => undefined };
  let pg: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  const workers: WorkerProcess[] = [];
  const close = async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await redis?.close();
    await pg?.close();
  };
  try {
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const botEnv: Record<string, string> = { DATABASE_URL: await pg.createDatabase() };
    if (runsCode) {
      botEnv.RUNS_QUEUE_URL = redis.url;
      const sandboxEnv = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("SANDBOX_")));
      workers.push(startWorker(redis.url, sandboxEnv), startWorker(redis.url, sandboxEnv));
      const queue = inspectQueue(redis.url);
      try {
        await waitForWorkers(queue, workers, 2);
      } finally {
        await queue.close();
      }
    }
    return { env: botEnv, queueUrl: redis.url, workers: workers.length, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function startHarness(
  opts: { env?: Record<string, string>; runCode?: RunCode } = {},
): Promise<Harness> {
  const services = await startServices(!opts.runCode, opts.env ?? {});
  const standin = await new DiscordStandIn(
    DISTRIBUTED ? { guildId: guildOnShard(GUILD_SHARD, SHARDS) } : {},
  ).start();
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
    ...services.env,
    ...opts.env,
  });
  let offset = 0;
  const clock: Harness["clock"] & Clock = {
    now: () => Date.now() + offset,
    set: (ms) => {
      offset = ms - Date.now();
    },
  };
  // E2E_LOG=debug shows the bot's own log while a test runs.
  const logger = createLogger(process.env.E2E_LOG ?? "silent");
  // As src/main.ts runs it: the driver in its own process, or (distributed) the run queue to the workers.
  const sandbox: Runner | null = opts.runCode
    ? null
    : config.RUNS_QUEUE_URL
      ? explaining(createRunQueue(config, logger), logger)
      : createSandboxHost(config);
  const runCode = opts.runCode ?? ((req) => (sandbox as Runner).run(req));
  const cooldowns = services.queueUrl
    ? createSharedCooldowns(services.queueUrl, config.RUN_COOLDOWN_SECONDS, { now: clock.now })
    : undefined;
  const where = { url: config.DATABASE_URL, path: dbPath };
  const lessons = await loadLessons(LESSONS_DIR);
  await deployCommands(config);

  /** One shard: its own store connection and quiz engine, as a shard process of its own has. */
  interface Shard {
    bot: Bot;
    store: Store;
    engine: QuizEngine;
  }
  const startShard = async (id: number): Promise<Shard> => {
    const store = await openStore(where);
    const engine = createQuizEngine({ store, lessons, runner: runCode, clock: clock.now });
    await engine.prepare();
    const bot = createBot({
      config,
      logger,
      store,
      content: engine,
      runCode,
      clock,
      schedulerTickMs: 3_600_000,
      ...(cooldowns ? { cooldowns } : {}),
      ...(SHARDS > 1 ? { shard: { id, count: SHARDS } } : {}),
    });
    await bot.start();
    return { bot, store, engine };
  };
  const stopShard = async (shard: Shard) => {
    await shard.bot.stop();
    await shard.store.close();
  };
  const shards: Shard[] = [];
  for (let id = 0; id < SHARDS; id++) shards.push(await startShard(id));
  const owner = () => shards[GUILD_SHARD] as Shard;

  const h: Harness = {
    standin,
    bot: owner().bot,
    bots: shards.map((x) => x.bot),
    config,
    engine: owner().engine,
    sandbox,
    runSlots: config.SANDBOX_CONCURRENCY * Math.max(1, services.workers),
    dbPath,
    store: owner().store,
    clock,
    async tickSchedulers() {
      return (await Promise.all(shards.map((x) => x.bot.scheduler.tick()))).flat();
    },
    async restart() {
      for (const shard of shards) await stopShard(shard);
      for (let id = 0; id < SHARDS; id++) shards[id] = await startShard(id);
      refresh();
      return h.bot;
    },
    async restartShard(id) {
      await stopShard(shards[id] as Shard);
      shards[id] = await startShard(id);
      refresh();
      return shards[id].bot;
    },
    async close() {
      for (const shard of shards) await stopShard(shard);
      await standin.stop();
      await sandbox?.close();
      await cooldowns?.close();
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const refresh = () => {
    h.bot = owner().bot;
    h.bots = shards.map((x) => x.bot);
    h.engine = owner().engine;
    h.store = owner().store;
  };
  return h;
}

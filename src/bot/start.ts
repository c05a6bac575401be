// Wires the bot: the discord.js client (Guilds intent only), the stores, the router, group rounds and the
// daily scheduler. `createBot` takes every outside part (database, quiz content, code runner, clock) so the
// end-to-end tests run the very same bot against the local stand-in.
import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import { buildCommands, componentHandlers } from "../../commands/index.js";
import type { BotConfig } from "../config.js";
import type { Logger } from "../logger.js";
import { pictureRenderer } from "../picture/offThread.js";
import type { SandboxStatus } from "../sandbox/doctorWatch.js";
import type { Store } from "../store/db.js";
import { RoundsStore } from "../store/rounds.js";
import { RunRecords } from "../store/runRecords.js";
import { ScheduleStore } from "../store/schedule.js";
import { ServerQuestionStore } from "../store/serverQuestionStore.js";
import { SettingsStore } from "../store/settings.js";
import { type CooldownGate, Cooldowns } from "./cooldown.js";
import { DailyPostScheduler, TICK_MS } from "./dailyPost.js";
import { NO_MENTIONS } from "./discordLimits.js";
import { GroupRounds } from "./groupRounds.js";
import { QuestionPictures } from "./questionPictures.js";
import type { QuizContent } from "./quizContent.js";
import { Router } from "./router.js";
import { loadServerQuestions } from "./serverQuestions.js";
import { type BotServices, type Clock, type RunCode, systemClock } from "./types.js";

export interface BotOptions {
  config: BotConfig;
  logger: Logger;
  store: Store;
  content: QuizContent;
  runCode: RunCode;
  /** The /run cooldown; default: this process's memory (shards share one through Redis instead). */
  cooldowns?: CooldownGate;
  /** The sandbox's verdict for `/config show`; without it (tests that run code their own way), "not reported". */
  sandboxStatus?: () => SandboxStatus;
  clock?: Clock;
  /** How often the scheduler looks for due daily posts (tests call `scheduler.tick()` themselves). */
  schedulerTickMs?: number;
  /** This client's gateway shard; default: the one discord.js's ShardingManager gives (SHARDS), or unsharded.
   *  The distributed end-to-end tests run two shards in one process this way. */
  shard?: { id: number; count: number };
}

export interface Bot {
  client: Client;
  services: BotServices;
  scheduler: DailyPostScheduler;
  /** Logs in, waits for READY, resumes or closes open group rounds, starts the scheduler; then draws the
   *  questions' pictures in the background. */
  start(): Promise<void>;
  /** Draws the pictures of questions whose answers were derived since (after a late `prepare()`); resolves
   *  once this and any earlier warm-up are done. */
  warmPictures(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Intents: Guilds only. Slash commands, buttons, modals and the "Run Python" message command all arrive as
 * interactions with their data resolved, so no privileged intent (Message Content, Members) is needed.
 */
export const INTENTS = [GatewayIntentBits.Guilds];

const NOT_REPORTED: SandboxStatus = {
  tier: null,
  publicRuns: true,
  summary: "not reported by this bot's runner",
};

export function createBot(o: BotOptions): Bot {
  const clock = o.clock ?? systemClock;
  // discord.js takes SHARD_COUNT from the environment as its own shard count (a ShardingManager sets it in
  // each shard, beside SHARDS). Outside a shard, our setting of that name (empty in a fresh .env, or "auto")
  // would reach the client as 0 or NaN: it was read into the config already.
  if (process.env.SHARDS === undefined) delete process.env.SHARD_COUNT;
  const client = new Client({
    intents: INTENTS,
    partials: [Partials.Channel, Partials.Message],
    rest: { api: o.config.DISCORD_API_URL },
    ...(o.shard ? { shards: [o.shard.id], shardCount: o.shard.count } : {}),
    // Every interaction reply pings nobody, whatever the member's text says.
    allowedMentions: NO_MENTIONS,
  });
  const pictures = pictureRenderer((message) => o.logger.warn(message));
  const settings = new SettingsStore(o.store);
  const rounds = new RoundsStore(o.store);
  const groupRounds = new GroupRounds({
    rest: client.rest,
    store: o.store,
    rounds,
    settings,
    content: o.content,
    clock,
    logger: o.logger,
    defaultRoundSeconds: o.config.GROUP_ROUND_SECONDS,
  });
  const services: BotServices = {
    config: o.config,
    store: o.store,
    logger: o.logger,
    clock,
    runCode: o.runCode,
    sandboxStatus: o.sandboxStatus ?? (() => NOT_REPORTED),
    content: o.content,
    settings,
    rounds,
    schedule: new ScheduleStore(o.store),
    serverQuestions: new ServerQuestionStore(o.store),
    runs: new RunRecords(o.store),
    pictures,
    questionPictures: new QuestionPictures(pictures),
    cooldowns: o.cooldowns ?? new Cooldowns(o.config.RUN_COOLDOWN_SECONDS, clock),
    groupRounds,
  };
  const router = new Router(buildCommands(o.content.lessons()), componentHandlers, services);
  const scheduler = new DailyPostScheduler(services);
  client.on(Events.InteractionCreate, (ix) => void router.handle(ix));
  client.on(Events.Error, (err) => o.logger.error({ err }, "discord client error"));

  let stopped = false;
  let warming: Promise<void> = Promise.resolve();
  // One warm-up at a time; a later call (answers derived since) goes after the one running.
  const warmPictures = (): Promise<void> => {
    warming = warming
      .then(() => services.questionPictures.warm(o.content, () => stopped))
      .then((drawn) => {
        if (drawn) o.logger.debug({ drawn }, "question pictures drawn");
      })
      .catch((err: unknown) => o.logger.warn({ err }, "drawing the question pictures failed"));
    return warming;
  };

  return {
    client,
    services,
    scheduler,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(o.config.DISCORD_TOKEN);
      await ready;
      o.logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "bot ready");
      // Servers' own questions are playable before any round that asks one is resumed.
      await loadServerQuestions(services);
      await groupRounds.resume();
      scheduler.start(o.schedulerTickMs ?? TICK_MS);
      void warmPictures();
    },
    warmPictures,
    async stop() {
      stopped = true;
      scheduler.stop();
      groupRounds.stop();
      await client.destroy();
      await pictures.close();
    },
  };
}

// The bot as `npm start` runs it (src/main.ts in its own process, the sandbox host as its child), on the
// stand-in: it answers a /run and Ctrl-C (SIGINT) shuts it down cleanly; a refused token ends it with one
// line. Without a token (or with `--playground`) it starts the playground instead. Either way no process of
// it is left behind.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket } from "ws";
import { deployCommands } from "../../src/bot/deploy-commands.js";
import { loadBotConfig } from "../../src/config.js";
import { inspectQueue, startWorker, waitForWorkers } from "../runQueue/workers.js";
import { redisUnavailable, startRedis } from "../services/redis.js";
import { DiscordStandIn, guildOnShard } from "../standin/server.js";
import { BotProcess } from "./botProcess.js";
import { sandboxSkipReason } from "./harness.js";

const skip = await sandboxSkipReason();
if (skip) console.warn(`npm start tests skipped: ${skip}`);

let standin: DiscordStandIn;
const bots: BotProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), "tutor-start-"));
const env = () => ({
  DISCORD_TOKEN: standin.token,
  DISCORD_APPLICATION_ID: standin.applicationId,
  DISCORD_GUILD_ID: standin.guildId,
  DISCORD_API_URL: standin.url,
  DATABASE_PATH: join(dir, "tutor.db"),
  LOG_LEVEL: "info",
  RUN_COOLDOWN_SECONDS: "0",
  // As a fresh .env (copied from .env.example) has it: an empty SHARD_COUNT means one shard.
  SHARD_COUNT: "",
});
const startBot = (overrides: Record<string, string> = {}) => {
  const bot = new BotProcess({ ...env(), ...overrides });
  bots.push(bot);
  return bot;
};

beforeAll(async () => {
  if (skip) return;
  standin = await new DiscordStandIn().start();
  await deployCommands(loadBotConfig(env()));
});

afterAll(async () => {
  for (const bot of bots) bot.kill();
  await standin?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it.skipIf(skip)(
  "connects before the sandbox doctor has spoken, holds a /run until it has ('starting up'), then answers it; SIGINT exits 0 with nothing of it left running",
  async () => {
    const bot = startBot();
    await bot.logged('"bot ready"');
    // The doctor's probes take several seconds (its time-limit probe alone waits 2 s): the bot is ready first.
    expect(bot.output).not.toContain("sandbox doctor");
    const open = standin.slash("run", { user: "alice" });
    await standin.modal(open);
    let reply = await standin.reply(standin.submitModal(open, { code: "print(6 * 7)\n" }), 30_000);
    expect(reply.content).toContain("Starting up");
    while (!reply.content.includes("42")) reply = await standin.edited(reply, reply.edits, 60_000);
    expect(bot.output).toContain("sandbox doctor: tier");

    bot.proc.kill("SIGINT");
    expect(await bot.exited).toBe(0);
    // The sandbox host is the bot's child, in its group.
    expect(bot.leftRunning()).toEqual([]);
    expect(bot.output).not.toMatch(/\n\s+at /); // no stack trace on the way out
    expect(standin.violations).toEqual([]);
  },
  120_000,
);

it.skipIf(skip)(
  "says in one line that Discord refused the token, exits 1 and leaves nothing running",
  async () => {
    const bot = startBot({ DISCORD_TOKEN: "not.the.token" });
    expect(await bot.exited).toBe(1);
    expect(bot.output).toContain("Discord refused the token: check DISCORD_TOKEN.");
    expect(bot.output).not.toMatch(/\n\s+at /);
    expect(bot.leftRunning()).toEqual([]);
  },
  120_000,
);

/** The playground's printed address, once `npm start` prints it. */
async function playgroundUrl(bot: BotProcess): Promise<string> {
  await bot.logged("Playground: http://");
  const url = /Playground: (http:\/\/\S+)/.exec(bot.output)?.[1];
  if (!url) throw new Error(`no address in:\n${bot.output}`);
  return url;
}

it.skipIf(skip)(
  "without a token starts the playground: prints its address and how to reach Discord, serves the page, exits 0 on SIGINT",
  async () => {
    const bot = startBot({
      DISCORD_TOKEN: "",
      DISCORD_APPLICATION_ID: "",
      PLAYGROUND_PORT: "0",
      PLAYGROUND_DATABASE_PATH: join(dir, "playground.db"),
    });
    const url = await playgroundUrl(bot);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await bot.logged("to connect the same bot to Discord instead.");
    const lines = bot.output.split("\n").filter((l) => !l.startsWith("{")); // pino's JSON lines aside
    expect(lines[0]).toBe(`Playground: ${url}`);
    expect(lines[1]).toContain("DISCORD_TOKEN and DISCORD_APPLICATION_ID");
    expect(bot.output).not.toContain("Warning");
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="app.js">');
    expect((await fetch(`${url}/app.js`)).status).toBe(200);
    // Another site's page cannot open the live socket, so it cannot act as a member.
    const forged = new WebSocket(`${url.replace("http", "ws")}/live`, { origin: "http://evil.example" });
    const closed = await new Promise<number>((resolve) => forged.on("close", (code) => resolve(code)));
    expect(closed).toBe(4003);

    bot.proc.kill("SIGINT");
    expect(await bot.exited).toBe(0);
    expect(bot.leftRunning()).toEqual([]);
    expect(bot.output).not.toMatch(/\n\s+at /);
  },
  120_000,
);

it.skipIf(skip)(
  "`npm run playground` starts the playground even with a token, and warns when it listens beyond this machine",
  async () => {
    const identified = standin.identifies.length;
    const bot = new BotProcess(
      {
        ...env(),
        PLAYGROUND_HOST: "0.0.0.0",
        PLAYGROUND_PORT: "0",
        PLAYGROUND_DATABASE_PATH: join(dir, "playground-2.db"),
      },
      ["--playground"],
    );
    bots.push(bot);
    const url = await playgroundUrl(bot);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    await bot.logged("Warning: the playground listens");
    expect(bot.output).toContain(
      "Warning: the playground listens on 0.0.0.0: anyone who can reach this address can run code in the sandbox.",
    );
    // The token went nowhere: this is the playground's own bot on its own local Discord.
    expect(standin.identifies.length).toBe(identified);
    bot.proc.kill("SIGINT");
    const code = await bot.exited;
    expect(code, bot.output).toBe(0);
    expect(bot.leftRunning()).toEqual([]);
  },
  120_000,
);

const shardSkip = skip ?? redisUnavailable();
it.skipIf(shardSkip)(
  "SHARD_COUNT=2 (with its run queue): one process starts two shard processes, each identifies as its shard, the guild's shard answers a /run through a worker, and SIGINT stops them all",
  async () => {
    // A stand-in whose guild belongs to shard 1: shard 0 hears nothing of it.
    const sharded = await new DiscordStandIn({ guildId: guildOnShard(1, 2) }).start();
    const redis = await startRedis();
    const worker = startWorker(redis.url);
    const inspect = inspectQueue(redis.url);
    try {
      const vars = {
        ...env(),
        DISCORD_TOKEN: sharded.token,
        DISCORD_APPLICATION_ID: sharded.applicationId,
        DISCORD_GUILD_ID: sharded.guildId,
        DISCORD_API_URL: sharded.url,
        DATABASE_PATH: join(dir, "sharded.db"),
        SHARD_COUNT: "2",
        RUNS_QUEUE_URL: redis.url,
      };
      await deployCommands(loadBotConfig(vars));
      await waitForWorkers(inspect, [worker], 1);
      const bot = startBot(vars);
      await bot.logged('"all shards started"');
      expect(sharded.identifies.map((x) => x.shard)).toEqual([
        [0, 2],
        [1, 2],
      ]);
      const open = sharded.slash("run", { user: "alice" });
      await sharded.modal(open);
      const reply = await sharded.reply(sharded.submitModal(open, { code: "print(6 * 7)\n" }), 60_000);
      expect(reply.content).toContain("42");
      expect(sharded.violations).toEqual([]);

      bot.proc.kill("SIGINT");
      expect(await bot.exited, bot.output).toBe(0);
      expect(bot.leftRunning()).toEqual([]);
      expect(bot.output).not.toMatch(/\n\s+at /);
    } finally {
      await inspect.close();
      await worker.stop();
      await redis.close();
      await sharded.stop();
    }
  },
  180_000,
);

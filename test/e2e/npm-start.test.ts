// The bot as `npm start` runs it (src/main.ts in its own process, the sandbox host as its child), on the
// stand-in: it answers a /run and Ctrl-C (SIGINT) shuts it down cleanly; a refused token ends it with one
// line. Either way no process of it is left behind.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deployCommands } from "../../src/bot/deploy-commands.js";
import { loadBotConfig } from "../../src/config.js";
import { DiscordStandIn } from "../standin/server.js";
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

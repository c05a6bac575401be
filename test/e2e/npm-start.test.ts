// The bot as `npm start` runs it (src/main.ts in its own process, the sandbox host as its child), on the
// stand-in: it answers a /run and Ctrl-C (SIGINT) shuts it down cleanly; a refused token ends it with one
// line. Without a token (or with `--playground`) it starts the playground instead. Either way no process of
// it is left behind.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket } from "ws";
import { deployCommands } from "../../src/bot/deploy-commands.js";
import { loadBotConfig } from "../../src/config.js";
import { DiscordStandIn } from "../standin/server.js";
import { sandboxSkipReason } from "./harness.js";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const main = new URL("../../src/main.ts", import.meta.url).pathname;

/** Processes of a process group that are not zombies (an exited child its parent has yet to reap). */
function runningInGroup(pgid: number): string[] {
  const running: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after its last ")".
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z")
      running.push(`${pid} ${stat.slice(0, stat.lastIndexOf(")") + 1)}`);
  }
  return running;
}

/** `npm start`'s process, in a process group of its own so a test can tell whether anything of it outlived it. */
class BotProcess {
  readonly proc: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>, args: string[] = []) {
    this.proc = spawn(process.execPath, [tsx, main, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [this.proc.stdout, this.proc.stderr])
      stream?.on("data", (d: Buffer) => {
        this.output += d.toString();
      });
    this.exited = new Promise((resolve) => this.proc.once("exit", (code) => resolve(code)));
  }

  /** Resolves once the log says `text`; rejects if the bot exits first. */
  async logged(text: string): Promise<void> {
    let poll: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve) => {
      poll = setInterval(() => this.output.includes(text) && resolve(), 50);
    });
    const died = this.exited.then((code) => {
      throw new Error(`the bot exited (${code}) before logging ${text}:\n${this.output}`);
    });
    try {
      await Promise.race([seen, died]);
    } finally {
      clearInterval(poll);
    }
  }

  /** Processes of its group still running. */
  leftRunning(): string[] {
    return runningInGroup(this.proc.pid as number);
  }

  kill(): void {
    if (this.proc.pid && this.proc.exitCode === null && this.proc.signalCode === null)
      process.kill(-this.proc.pid, "SIGKILL");
  }
}

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
  "answers a /run, then shuts down on SIGINT with exit 0 and nothing of it left running",
  async () => {
    const bot = startBot();
    await bot.logged('"bot ready"');
    const open = standin.slash("run", { user: "alice" });
    await standin.modal(open);
    const reply = await standin.reply(standin.submitModal(open, { code: "print(6 * 7)\n" }), 30_000);
    expect(reply.content).toContain("42");

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

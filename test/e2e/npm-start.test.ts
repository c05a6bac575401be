// The bot as `npm start` runs it (src/main.ts in its own process, the sandbox host as its child), on the
// stand-in: it answers a /run, and Ctrl-C (SIGINT) shuts it down cleanly, leaving no process behind.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
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

const skip = await sandboxSkipReason();
if (skip) console.warn(`npm start test skipped: ${skip}`);

let standin: DiscordStandIn;
let bot: ChildProcess | null = null;
let log = "";
const dir = mkdtempSync(join(tmpdir(), "tutor-start-"));

beforeAll(async () => {
  if (skip) return;
  standin = await new DiscordStandIn().start();
  const env = {
    DISCORD_TOKEN: standin.token,
    DISCORD_APPLICATION_ID: standin.applicationId,
    DISCORD_GUILD_ID: standin.guildId,
    DISCORD_API_URL: standin.url,
    DATABASE_PATH: join(dir, "tutor.db"),
    LOG_LEVEL: "info",
    RUN_COOLDOWN_SECONDS: "0",
  };
  await deployCommands(loadBotConfig(env));
  // Its own process group, so the test can tell whether anything of the bot outlived it.
  bot = spawn(process.execPath, [tsx, main], {
    env: { PATH: process.env.PATH ?? "", ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  bot.stdout?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  bot.stderr?.on("data", (d: Buffer) => {
    log += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      if (log.includes('"bot ready"')) done(resolve);
    }, 50);
    const done = (then: () => void) => {
      clearInterval(poll);
      bot?.off("exit", exited);
      then();
    };
    const exited = (code: number | null) =>
      done(() => reject(new Error(`the bot exited (${code}):\n${log}`)));
    bot?.once("exit", exited);
  });
}, 120_000);

afterAll(async () => {
  if (bot?.pid && bot.exitCode === null && bot.signalCode === null) process.kill(-bot.pid, "SIGKILL");
  await standin?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it.skipIf(skip)(
  "answers a /run, then shuts down on SIGINT with exit 0 and no process left behind",
  async () => {
    const open = standin.slash("run", { user: "alice" });
    await standin.modal(open);
    const reply = await standin.reply(standin.submitModal(open, { code: "print(6 * 7)\n" }), 30_000);
    expect(reply.content).toContain("42");

    const proc = bot as ChildProcess;
    const exit = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
    proc.kill("SIGINT");
    expect(await exit).toBe(0);
    // The sandbox host was the bot's child, in its group: nothing of the group may still be running.
    expect(runningInGroup(proc.pid as number)).toEqual([]);
    expect(log).not.toMatch(/\n\s+at /); // no stack trace on the way out
    expect(standin.violations).toEqual([]);
  },
  60_000,
);

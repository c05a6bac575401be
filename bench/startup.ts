// Start-up: from `npm start` (src/main.ts spawned as a user runs it) to the gateway IDENTIFY at the local
// Discord, with a fresh database and with a warm one (answers cached by an earlier start). Discord fails
// every interaction until the bot has identified, so the target is <= 3 s either way.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployCommands } from "../src/bot/deploy-commands.js";
import { loadBotConfig } from "../src/config.js";
import { BotProcess } from "../test/e2e/botProcess.js";
import { DiscordStandIn } from "../test/standin/server.js";
import type { BenchRow } from "./types.js";

const ROUNDS = 3;
const TARGET_MS = 3000;

export async function run(): Promise<BenchRow[]> {
  const standin = await new DiscordStandIn().start();
  const dir = mkdtempSync(join(tmpdir(), "tutor-bench-start-"));
  const env = (db: string) => ({
    DISCORD_TOKEN: standin.token,
    DISCORD_APPLICATION_ID: standin.applicationId,
    DISCORD_GUILD_ID: standin.guildId,
    DISCORD_API_URL: standin.url,
    DATABASE_PATH: join(dir, db),
    LOG_LEVEL: "info",
  });
  await deployCommands(loadBotConfig(env("deploy.db")));

  /** One start: spawn to IDENTIFY (ms); with `settle`, waits for the answers to be cached before stopping. */
  const start = async (db: string, settle: boolean): Promise<number> => {
    const before = standin.identifies.length;
    const t0 = Date.now();
    const bot = new BotProcess(env(db));
    try {
      await standin.waitForIdentify(before + 1, 60_000);
      const ms = (standin.identifies[before]?.at ?? Number.NaN) - t0;
      if (settle) await bot.logged('"quiz answers prepared"');
      bot.proc.kill("SIGINT");
      await bot.exited;
      return ms;
    } finally {
      bot.kill();
    }
  };

  const fresh: number[] = [];
  const warm: number[] = [];
  try {
    for (let i = 0; i < ROUNDS; i++) {
      fresh.push(await start(`fresh-${i}.db`, i === 0));
      warm.push(await start("fresh-0.db", false));
    }
  } finally {
    await standin.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const row = (name: string, xs: number[]): BenchRow => ({
    area: "startup",
    name,
    value: median(xs),
    unit: "ms",
    target: `<= ${TARGET_MS} ms`,
    ok: median(xs) <= TARGET_MS,
    note: `median of ${xs.length}: ${xs.map((x) => Math.round(x)).join(", ")} ms`,
  });
  return [
    row("npm start to IDENTIFY, fresh database", fresh),
    row("npm start to IDENTIFY, warm database", warm),
  ];
}

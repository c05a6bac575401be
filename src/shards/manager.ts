// SHARD_COUNT above 1 (or auto): this process becomes discord.js's ShardingManager and each shard is a bot
// process of its own (src/main.ts again, told its shard by discord.js through SHARDS / SHARD_COUNT), which
// answers its own guilds' interactions. What must happen once across shards lives in shared stores, not in
// one shard: runs and cooldowns in Redis (src/runQueue), a round's close and a day's post claimed in the
// database (a conditional update only one process wins), so every shard may resume every open round after a
// restart and the first to get there closes it. A shard that dies is started again (respawn).
import { fileURLToPath } from "node:url";
import { ShardingManager } from "discord.js";
import type { BotConfig } from "../config.js";
import type { Logger } from "../logger.js";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const TSX_LOADER = import.meta.resolve("tsx");

/** Whether this process is one shard started by a manager (discord.js passes SHARDS to its shards). */
export function isShardProcess(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SHARDS !== undefined;
}

/** SHARD_COUNT as a number: `auto` asks the Discord API the bot talks to (DISCORD_API_URL) for its advice. */
export async function shardCount(config: BotConfig): Promise<number> {
  if (config.SHARD_COUNT !== "auto") return config.SHARD_COUNT;
  const res = await fetch(`${config.DISCORD_API_URL}/v10/gateway/bot`, {
    headers: { authorization: `Bot ${config.DISCORD_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`SHARD_COUNT=auto: Discord answered ${res.status} to GET /gateway/bot`);
  const { shards } = (await res.json()) as { shards?: number };
  if (!Number.isInteger(shards) || (shards as number) < 1)
    throw new Error("SHARD_COUNT=auto: Discord gave no shard count");
  return shards as number;
}

export interface ShardFleet {
  readonly count: number;
  /** Stops every shard (each closes its bot cleanly on SIGTERM) and waits for them. */
  stop(): Promise<void>;
}

/** Starts `count` shard processes, one after the other as Discord asks (one IDENTIFY per 5 s). */
export async function startShards(
  config: BotConfig,
  logger: Logger,
  spawnDelayMs = 5500,
): Promise<ShardFleet> {
  const count = await shardCount(config);
  const manager = new ShardingManager(MAIN, {
    totalShards: count,
    token: config.DISCORD_TOKEN,
    mode: "process",
    respawn: true,
    execArgv: ["--import", TSX_LOADER],
  });
  manager.on("shardCreate", (shard) => {
    logger.info({ shard: shard.id, of: count }, "shard started");
    shard.on("death", (child) =>
      logger.warn(
        { shard: shard.id, exitCode: "exitCode" in child ? child.exitCode : null },
        "shard died; restarting it",
      ),
    );
  });
  await manager.spawn({ amount: count, delay: spawnDelayMs, timeout: 120_000 });
  return {
    count,
    async stop() {
      await Promise.all(
        manager.shards.map(async (shard) => {
          const child = shard.process;
          if (!child || child.exitCode !== null) return;
          const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
          shard.removeAllListeners("death");
          // Not shard.kill(): that also stops respawn bookkeeping mid-way; a plain SIGTERM lets the bot close.
          (manager as unknown as { respawn: boolean }).respawn = false;
          child.kill("SIGTERM");
          await exited;
        }),
      );
    },
  };
}

// Every setting the program reads, validated once. `.env.example` documents each one; keep the two in step.
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { config as loadDotenv } from "dotenv";
import { z } from "zod";

loadDotenv({ quiet: true });

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

/** Settings the core needs: sandbox, storage, logging. Nothing Discord-related, so the CLI runs without a token. */
const coreSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/tutor.db"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// URL (or empty for SQLite at DATABASE_PATH)")
    .optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PYTHON: z.string().min(1).default("/usr/bin/python3.11"),
  SANDBOX_WALL_MS: int(5000, 100, 120_000),
  SANDBOX_CPU_SECONDS: int(5, 1, 120),
  SANDBOX_MEMORY_MB: int(128, 32, 8192),
  SANDBOX_PROCESSES: int(32, 4, 1024),
  SANDBOX_FILES_MB: int(16, 1, 1024),
  SANDBOX_OUTPUT_SHOWN_KB: int(64, 1, 4096),
  SANDBOX_OUTPUT_READ_KB: int(1024, 1, 65_536),
  SANDBOX_CONCURRENCY: int(Math.max(1, availableParallelism()), 1, 64),
  SANDBOX_QUEUE_MAX: int(20, 0, 1000),
  SANDBOX_WARM_POOL: int(2, 0, 16),
  SANDBOX_UID_BASE: int(61000, 1000, 4_000_000_000),
  // Past one machine (src/runQueue): runs go through Redis to `tutor worker` processes.
  RUNS_QUEUE_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, "must be a redis:// or rediss:// URL")
    .optional(),
  WORKER_MIN_TIER: z.enum(["A", "B"]).default("A"),
});

const botSchema = coreSchema
  .extend({
    DISCORD_TOKEN: z.string().min(1, "is empty"),
    DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,25}$/, "must be the numeric application id"),
    DISCORD_GUILD_ID: z
      .string()
      .regex(/^\d{5,25}$/, "must be a numeric server id")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    DISCORD_API_URL: z
      .url()
      .default("https://discord.com/api")
      .transform((u) => u.replace(/\/+$/, "")),
    RUN_COOLDOWN_SECONDS: int(10, 0, 3600),
    GROUP_ROUND_SECONDS: int(30, 10, 600),
    SHARD_COUNT: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(1024)]).default(1),
  })
  .refine((c) => c.SHARD_COUNT === 1 || c.RUNS_QUEUE_URL !== undefined, {
    path: ["SHARD_COUNT"],
    message:
      'above 1 needs RUNS_QUEUE_URL: the shards share runs, cooldowns and the workers through Redis (see the README, "When one machine is not enough")',
  });

/** The playground (`npm start` without a token): where its page listens and its own database file. */
const playgroundSchema = z.object({
  PLAYGROUND_PORT: int(3000, 0, 65_535),
  PLAYGROUND_HOST: z.string().min(1).default("127.0.0.1"),
  PLAYGROUND_DATABASE_PATH: z.string().min(1).default("./data/playground.db"),
});

/** Every setting name, so a test can prove `.env.example` documents each one. */
export const settingNames: readonly string[] = [
  ...Object.keys(botSchema.shape),
  ...Object.keys(playgroundSchema.shape),
];

export type CoreConfig = z.infer<typeof coreSchema>;
export type BotConfig = z.infer<typeof botSchema>;
export type PlaygroundConfig = z.infer<typeof playgroundSchema>;

/** A setting that is missing or wrong; the message is one line naming it. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function parse<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // An empty value in .env means "not set": let the default apply.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.join(".") || "environment";
    const problem = issue.code === "invalid_type" && issue.input === undefined ? "is not set" : issue.message;
    return `Setting ${key} ${problem}.`;
  });
  throw new ConfigError(lines.join("\n"));
}

/** Just the core settings of a (bot) config: what may be handed to another process, no token (nor the queue
 *  URL, which may hold a Redis password: the sandbox host never needs it). */
export function coreSettings(config: CoreConfig): CoreConfig {
  const keys = (Object.keys(coreSchema.shape) as (keyof CoreConfig)[]).filter((k) => k !== "RUNS_QUEUE_URL");
  return Object.fromEntries(keys.map((k) => [k, config[k]])) as CoreConfig;
}

export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  return parse(coreSchema, env);
}

export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  return parse(botSchema, env);
}

/** The playground's own settings; its database must not be the Discord bot's. */
export function loadPlaygroundConfig(env: NodeJS.ProcessEnv = process.env): PlaygroundConfig {
  const config = parse(playgroundSchema, env);
  const botDb = parse(coreSchema.pick({ DATABASE_PATH: true }), env).DATABASE_PATH;
  if (resolve(config.PLAYGROUND_DATABASE_PATH) === resolve(botDb))
    throw new ConfigError(
      "Setting PLAYGROUND_DATABASE_PATH must not be the Discord bot's DATABASE_PATH: the playground keeps its own file.",
    );
  return config;
}

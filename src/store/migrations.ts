// Numbered, append-only schema changes. Never edit a migration that has shipped: add a new one.
import type { Migration } from "./migration.js";
import { quizMigrations } from "./quizMigrations.js";

export type { Migration } from "./migration.js";

export const migrations: Migration[] = [
  // 100-199: the quiz engine.
  ...quizMigrations,
  // 200-299: the Discord bot (server settings, group rounds, scheduled posts, runs); scores and progress belong to the quiz engine.
  {
    id: 200,
    name: "bot: server settings and lesson channels",
    sql: `CREATE TABLE guild_settings (
      guild_id TEXT PRIMARY KEY,
      run_mode TEXT NOT NULL DEFAULT 'everywhere' CHECK (run_mode IN ('everywhere', 'lesson_channels', 'off')),
      round_seconds INTEGER,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE lesson_channels (
      guild_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      PRIMARY KEY (guild_id, channel_id)
    );`,
  },
  {
    id: 201,
    name: "bot: daily quiz posts",
    sql: `CREATE TABLE daily_posts (
      guild_id TEXT PRIMARY KEY,
      channel_id TEXT NOT NULL,
      time TEXT NOT NULL,
      timezone TEXT NOT NULL,
      lesson_id TEXT NOT NULL,
      last_posted_date TEXT
    );`,
  },
  {
    id: 202,
    name: "bot: group rounds and their answers",
    sql: `CREATE TABLE group_rounds (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      guild_id TEXT NOT NULL,
      channel_id TEXT NOT NULL,
      message_id TEXT,
      question_key TEXT NOT NULL,
      seed TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      ends_at INTEGER NOT NULL,
      status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
    );
    CREATE INDEX group_rounds_open ON group_rounds (status) WHERE status = 'open';
    CREATE TABLE round_answers (
      round_id INTEGER NOT NULL REFERENCES group_rounds (id),
      user_id TEXT NOT NULL,
      choice TEXT NOT NULL,
      answered_at INTEGER NOT NULL,
      changes INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (round_id, user_id)
    );`,
  },
  {
    id: 203,
    name: "bot: runs (for Re-run / Edit & run / Delete buttons)",
    sql: `CREATE TABLE bot_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      guild_id TEXT,
      channel_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      code TEXT NOT NULL,
      stdin TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL
    );`,
  },
  {
    id: 204,
    name: "bot: each run's clause report, so its Flow picture is drawn again after a restart without running it",
    sql: "ALTER TABLE bot_runs ADD COLUMN flow_json TEXT;",
  },
];

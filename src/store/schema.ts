// The tables as Kysely sees them: one description for both engines. Times are milliseconds since the epoch
// (BIGINT on PostgreSQL, read back as numbers); flags are 0/1 integers on both, so SUM(correct) counts.
import type { Generated } from "kysely";

export interface Tables {
  // Migration 100 (quiz engine).
  quiz_answer_cache: {
    content_hash: string;
    answer_json: string;
    trace: string;
    derived_at: number;
    /** Migration 101: the run's clause report as JSON (the picture of its flow); null in older rows. */
    flow_json: string | null;
  };
  quiz_progress: {
    guild_id: string;
    member_id: string;
    question_key: string;
    box: number;
    due_at: number;
    right_count: Generated<number>;
    wrong_count: Generated<number>;
    last_answered_at: number;
  };
  quiz_attempts: {
    id: Generated<number>;
    guild_id: string;
    member_id: string;
    question_key: string;
    correct: number;
    points: number;
    hint_used: number;
    answered_at: number;
  };
  // Migrations 200-204 (the bot).
  guild_settings: {
    guild_id: string;
    run_mode: Generated<"everywhere" | "lesson_channels" | "off">;
    round_seconds: number | null;
    updated_at: string;
  };
  lesson_channels: {
    /** Insertion order: SQLite's implicit rowid, an identity column of that name on PostgreSQL. */
    rowid: Generated<number>;
    guild_id: string;
    channel_id: string;
  };
  daily_posts: {
    guild_id: string;
    channel_id: string;
    time: string;
    timezone: string;
    lesson_id: string;
    last_posted_date: string | null;
  };
  group_rounds: {
    id: Generated<number>;
    guild_id: string;
    channel_id: string;
    message_id: string | null;
    question_key: string;
    seed: string;
    started_at: number;
    ends_at: number;
    status: Generated<"open" | "closed">;
  };
  round_answers: {
    round_id: number;
    user_id: string;
    choice: string;
    answered_at: number;
    changes: Generated<number>;
  };
  bot_runs: {
    id: Generated<number>;
    guild_id: string | null;
    channel_id: string;
    user_id: string;
    /** The code as text ("" when it is kept as bytes). SQLite rows written before migration 204 may hold a BLOB. */
    code: string | Buffer;
    /** Migration 204: an uploaded file's own bytes; null for text. */
    code_bytes: Buffer | null;
    stdin: Generated<string>;
    created_at: number;
    /** Migration 205: the run's clause report as JSON, kept for its Flow picture; null when it has none. */
    flow_json: string | null;
  };
}

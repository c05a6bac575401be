// Schema of the quiz engine (ids 100-199): the derived-answer cache and per-member progress.
// Listed in ./migrations.ts; append new migrations here, never edit one that has shipped.
import type { Migration } from "./migration.js";

export const quizMigrations: Migration[] = [
  {
    id: 100,
    name: "quiz: derived answer cache, member progress (Leitner boxes), scored attempts",
    sql: `CREATE TABLE quiz_answer_cache (
      content_hash TEXT PRIMARY KEY,
      answer_json TEXT NOT NULL,
      trace TEXT NOT NULL,
      derived_at INTEGER NOT NULL
    );
    CREATE TABLE quiz_progress (
      guild_id TEXT NOT NULL,
      member_id TEXT NOT NULL,
      question_key TEXT NOT NULL,
      box INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
      due_at INTEGER NOT NULL,
      right_count INTEGER NOT NULL DEFAULT 0,
      wrong_count INTEGER NOT NULL DEFAULT 0,
      last_answered_at INTEGER NOT NULL,
      PRIMARY KEY (guild_id, member_id, question_key)
    );
    CREATE TABLE quiz_attempts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      guild_id TEXT NOT NULL,
      member_id TEXT NOT NULL,
      question_key TEXT NOT NULL,
      correct INTEGER NOT NULL,
      points INTEGER NOT NULL,
      hint_used INTEGER NOT NULL,
      answered_at INTEGER NOT NULL
    );
    CREATE INDEX quiz_attempts_member ON quiz_attempts (guild_id, member_id);`,
  },
  {
    id: 101,
    name: "quiz: the clause report of each cached answer's run, for the picture of its flow",
    sql: "ALTER TABLE quiz_answer_cache ADD COLUMN flow_json TEXT;",
  },
];

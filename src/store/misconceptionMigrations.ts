// Schema of misconception tracking and server questions (ids 110-129, inside the quiz engine's 100-199).
// Listed in ./migrations.ts; append new migrations here, never edit one that has shipped.
import type { Migration } from "./migration.js";

export const misconceptionMigrations: Migration[] = [
  {
    id: 110,
    name: "misconceptions: each one a member's wrong answer showed (for /progress and review)",
    sql: `CREATE TABLE quiz_misconceptions_shown (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      guild_id TEXT NOT NULL,
      member_id TEXT NOT NULL,
      misconception_id TEXT NOT NULL,
      question_key TEXT NOT NULL,
      shown_at INTEGER NOT NULL
    );
    CREATE INDEX quiz_misconceptions_shown_member ON quiz_misconceptions_shown (guild_id, member_id);`,
  },
  {
    id: 120,
    name: "server questions: made by a server's moderators from their own code (draft, posted, in the bank)",
    sql: `CREATE TABLE server_questions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      guild_id TEXT NOT NULL,
      author_id TEXT NOT NULL,
      lesson_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('first_line', 'whole_output', 'clauses', 'escapes')),
      prompt TEXT NOT NULL,
      code TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted', 'bank')),
      derived_json TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX server_questions_guild ON server_questions (guild_id, status);
    CREATE TABLE server_quiz_settings (
      guild_id TEXT PRIMARY KEY,
      creator_role_id TEXT,
      mix_server_questions INTEGER NOT NULL DEFAULT 0
    );`,
  },
];

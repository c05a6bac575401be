// Schema of misconception tracking and server questions (ids 110-129, inside the quiz engine's 100-199).
// Listed in ./migrations.ts; append new migrations here, never edit one that has shipped.
import type { Migration } from "./migrations.js";

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
];

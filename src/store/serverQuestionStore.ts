// SQL of server questions (migration 120): questions a server's moderators made from their own code, with
// everything derived from running it (so a restart runs nothing), and who may make them.
import type { Db } from "./db.js";

export type ServerQuestionStatus = "draft" | "posted" | "bank";

export interface ServerQuestionRow {
  id: number;
  guildId: string;
  authorId: string;
  lessonId: string;
  kind: "first_line" | "whole_output" | "clauses" | "escapes";
  prompt: string;
  code: string;
  status: ServerQuestionStatus;
  /** The answer, wrong answers, trace and shape, as derived when the question was made. */
  derivedJson: string;
  createdAt: number;
}

export interface ServerQuizSettings {
  /** A role whose members may make questions, beside those with Manage Server. */
  creatorRoleId: string | null;
  /** Whether the server's questions are mixed into its lesson quizzes (else only with source:server). */
  mixServerQuestions: boolean;
}

const COLUMNS = `id, guild_id AS guildId, author_id AS authorId, lesson_id AS lessonId, kind, prompt, code, status,
  derived_json AS derivedJson, created_at AS createdAt`;

export class ServerQuestionStore {
  constructor(private readonly db: Db) {}

  insert(row: Omit<ServerQuestionRow, "id">): number {
    const result = this.db
      .prepare(
        `INSERT INTO server_questions (guild_id, author_id, lesson_id, kind, prompt, code, status, derived_json, created_at)
         VALUES (@guildId, @authorId, @lessonId, @kind, @prompt, @code, @status, @derivedJson, @createdAt)`,
      )
      .run(row);
    return Number(result.lastInsertRowid);
  }

  get(id: number): ServerQuestionRow | null {
    return (
      (this.db
        .prepare(`SELECT ${COLUMNS} FROM server_questions WHERE id = ?`)
        .get(id) as ServerQuestionRow) ?? null
    );
  }

  setStatus(id: number, status: ServerQuestionStatus): void {
    this.db.prepare("UPDATE server_questions SET status = ? WHERE id = ?").run(status, id);
  }

  remove(id: number): boolean {
    return this.db.prepare("DELETE FROM server_questions WHERE id = ?").run(id).changes > 0;
  }

  /** A server's questions with one of `statuses`, oldest first. */
  list(guildId: string, statuses: ServerQuestionStatus[]): ServerQuestionRow[] {
    const marks = statuses.map(() => "?").join(", ");
    return this.db
      .prepare(
        `SELECT ${COLUMNS} FROM server_questions WHERE guild_id = ? AND status IN (${marks}) ORDER BY id`,
      )
      .all(guildId, ...statuses) as ServerQuestionRow[];
  }

  /** Every playable question of every server (posted or in a bank), for the quiz engine at start-up. */
  playable(): ServerQuestionRow[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM server_questions WHERE status IN ('posted', 'bank') ORDER BY id`)
      .all() as ServerQuestionRow[];
  }

  settings(guildId: string): ServerQuizSettings {
    const row = this.db
      .prepare(
        "SELECT creator_role_id AS creatorRoleId, mix_server_questions AS mix FROM server_quiz_settings WHERE guild_id = ?",
      )
      .get(guildId) as { creatorRoleId: string | null; mix: number } | undefined;
    return { creatorRoleId: row?.creatorRoleId ?? null, mixServerQuestions: row?.mix === 1 };
  }

  setSettings(guildId: string, change: Partial<ServerQuizSettings>): void {
    const now = { ...this.settings(guildId), ...change };
    this.db
      .prepare(
        `INSERT INTO server_quiz_settings (guild_id, creator_role_id, mix_server_questions) VALUES (?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET creator_role_id = excluded.creator_role_id,
           mix_server_questions = excluded.mix_server_questions`,
      )
      .run(guildId, now.creatorRoleId, now.mixServerQuestions ? 1 : 0);
  }
}

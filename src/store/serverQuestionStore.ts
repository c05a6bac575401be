// Queries of server questions (migration 120): questions a server's moderators made from their own code, with
// everything derived from running it (so a restart runs nothing), and who may make them.
import type { Store } from "./db.js";

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

const COLUMNS = [
  "id",
  "guild_id as guildId",
  "author_id as authorId",
  "lesson_id as lessonId",
  "kind",
  "prompt",
  "code",
  "status",
  "derived_json as derivedJson",
  "created_at as createdAt",
] as const;

export class ServerQuestionStore {
  constructor(private readonly store: Store) {}

  async insert(row: Omit<ServerQuestionRow, "id">): Promise<number> {
    const inserted = await this.store.db
      .insertInto("server_questions")
      .values({
        guild_id: row.guildId,
        author_id: row.authorId,
        lesson_id: row.lessonId,
        kind: row.kind,
        prompt: row.prompt,
        code: row.code,
        status: row.status,
        derived_json: row.derivedJson,
        created_at: row.createdAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(inserted.id);
  }

  async get(id: number): Promise<ServerQuestionRow | null> {
    if (!Number.isSafeInteger(id)) return null;
    const row = await this.store.db
      .selectFrom("server_questions")
      .select(COLUMNS)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? { ...row, id: Number(row.id) } : null;
  }

  async setStatus(id: number, status: ServerQuestionStatus): Promise<void> {
    await this.store.db.updateTable("server_questions").set({ status }).where("id", "=", id).execute();
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.store.db.deleteFrom("server_questions").where("id", "=", id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** A server's questions with one of `statuses`, oldest first. */
  async list(guildId: string, statuses: ServerQuestionStatus[]): Promise<ServerQuestionRow[]> {
    const rows = await this.store.db
      .selectFrom("server_questions")
      .select(COLUMNS)
      .where("guild_id", "=", guildId)
      .where("status", "in", statuses)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  /** Every playable question of every server (posted or in a bank), for the quiz engine at start-up. */
  async playable(): Promise<ServerQuestionRow[]> {
    const rows = await this.store.db
      .selectFrom("server_questions")
      .select(COLUMNS)
      .where("status", "in", ["posted", "bank"])
      .orderBy("id")
      .execute();
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  async settings(guildId: string): Promise<ServerQuizSettings> {
    const row = await this.store.db
      .selectFrom("server_quiz_settings")
      .select(["creator_role_id", "mix_server_questions"])
      .where("guild_id", "=", guildId)
      .executeTakeFirst();
    return {
      creatorRoleId: row?.creator_role_id ?? null,
      mixServerQuestions: Number(row?.mix_server_questions) === 1,
    };
  }

  async setSettings(guildId: string, change: Partial<ServerQuizSettings>): Promise<void> {
    const now = { ...(await this.settings(guildId)), ...change };
    const values = {
      creator_role_id: now.creatorRoleId,
      mix_server_questions: now.mixServerQuestions ? 1 : 0,
    };
    await this.store.db
      .insertInto("server_quiz_settings")
      .values({ guild_id: guildId, ...values })
      .onConflict((oc) => oc.column("guild_id").doUpdateSet(values))
      .execute();
  }
}

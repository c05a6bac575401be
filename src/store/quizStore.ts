// SQL of the quiz engine: the derived-answer cache, Leitner progress and scored attempts (tables of migration 100).
import type { Store } from "./db.js";

export interface CachedAnswer {
  answerJson: string;
  trace: string;
  /** The run's clause report (src/picture's FlowReport) as JSON; null in rows cached before it was kept. */
  flowJson: string | null;
}

export interface ProgressRow {
  questionKey: string;
  box: number;
  dueAt: number;
  rightCount: number;
  wrongCount: number;
  lastAnsweredAt: number;
}

export interface AttemptInput {
  guildId: string;
  memberId: string;
  questionKey: string;
  correct: boolean;
  points: number;
  hintUsed: boolean;
  answeredAt: number;
  /** The new Leitner state from the stored one (null: first answer), computed inside the write's transaction. */
  leitner(previous: ProgressRow | null): { box: number; dueAt: number };
}

export interface Totals {
  answered: number;
  correct: number;
  points: number;
}

/** A question whose latest answer was wrong: missed, and not answered right since. */
export interface MissedRow {
  questionKey: string;
  /** When it was last missed (the latest attempt). */
  missedAt: number;
  /** When spaced repetition brings it back. */
  dueAt: number;
}

export interface LeaderRow extends Totals {
  memberId: string;
}

const PROGRESS_COLUMNS = [
  "question_key as questionKey",
  "box",
  "due_at as dueAt",
  "right_count as rightCount",
  "wrong_count as wrongCount",
  "last_answered_at as lastAnsweredAt",
] as const;

export class QuizStore {
  constructor(private readonly store: Store) {}

  /** The cached answers among `hashes`, by hash: one query for all (one round trip on PostgreSQL). */
  async getCachedAnswers(hashes: string[]): Promise<Map<string, CachedAnswer>> {
    const found = new Map<string, CachedAnswer>();
    // Chunks keep each query under SQLite's limit on bound parameters.
    for (let i = 0; i < hashes.length; i += 500) {
      const rows = await this.store.db
        .selectFrom("quiz_answer_cache")
        .select(["content_hash", "answer_json as answerJson", "trace", "flow_json as flowJson"])
        .where("content_hash", "in", hashes.slice(i, i + 500))
        .execute();
      for (const r of rows)
        found.set(r.content_hash, { answerJson: r.answerJson, trace: r.trace, flowJson: r.flowJson });
    }
    return found;
  }

  async putCachedAnswer(
    hash: string,
    answerJson: string,
    trace: string,
    now: number,
    flowJson: string | null = null,
  ): Promise<void> {
    const values = { answer_json: answerJson, trace, derived_at: now, flow_json: flowJson };
    await this.store.db
      .insertInto("quiz_answer_cache")
      .values({ content_hash: hash, ...values })
      .onConflict((oc) => oc.column("content_hash").doUpdateSet(values))
      .execute();
  }

  progressRows(guildId: string, memberId: string): Promise<ProgressRow[]> {
    return this.store.db
      .selectFrom("quiz_progress")
      .select(PROGRESS_COLUMNS)
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .execute();
  }

  async progressRow(guildId: string, memberId: string, questionKey: string): Promise<ProgressRow | null> {
    const row = await this.store.db
      .selectFrom("quiz_progress")
      .select(PROGRESS_COLUMNS)
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .where("question_key", "=", questionKey)
      .executeTakeFirst();
    return row ?? null;
  }

  /** One answer: the attempt row and the new Leitner state, together or not at all. */
  async recordAttempt(a: AttemptInput): Promise<void> {
    await this.store.transaction(async ({ db: trx, engine }) => {
      // PostgreSQL: the member's row is locked, so two answers from two processes do not both start from the
      // same box. (SQLite has one writer at a time anyway.)
      const previous = await trx
        .selectFrom("quiz_progress")
        .select(PROGRESS_COLUMNS)
        .where("guild_id", "=", a.guildId)
        .where("member_id", "=", a.memberId)
        .where("question_key", "=", a.questionKey)
        .$if(engine === "postgres", (qb) => qb.forUpdate())
        .executeTakeFirst();
      const next = a.leitner(previous ?? null);
      await trx
        .insertInto("quiz_attempts")
        .values({
          guild_id: a.guildId,
          member_id: a.memberId,
          question_key: a.questionKey,
          correct: a.correct ? 1 : 0,
          points: a.points,
          hint_used: a.hintUsed ? 1 : 0,
          answered_at: a.answeredAt,
        })
        .execute();
      await trx
        .insertInto("quiz_progress")
        .values({
          guild_id: a.guildId,
          member_id: a.memberId,
          question_key: a.questionKey,
          box: next.box,
          due_at: next.dueAt,
          right_count: a.correct ? 1 : 0,
          wrong_count: a.correct ? 0 : 1,
          last_answered_at: a.answeredAt,
        })
        .onConflict((oc) =>
          oc.columns(["guild_id", "member_id", "question_key"]).doUpdateSet((eb) => ({
            box: eb.ref("excluded.box"),
            due_at: eb.ref("excluded.due_at"),
            last_answered_at: eb.ref("excluded.last_answered_at"),
            right_count: eb("quiz_progress.right_count", "+", eb.ref("excluded.right_count")),
            wrong_count: eb("quiz_progress.wrong_count", "+", eb.ref("excluded.wrong_count")),
          })),
        )
        .execute();
    });
  }

  async totals(guildId: string, memberId: string): Promise<Totals> {
    return this.store.db
      .selectFrom("quiz_attempts")
      .select((eb) => [
        eb.fn.countAll<number>().as("answered"),
        eb.fn.coalesce(eb.fn.sum<number>("correct"), eb.lit(0)).as("correct"),
        eb.fn.coalesce(eb.fn.sum<number>("points"), eb.lit(0)).as("points"),
      ])
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .executeTakeFirstOrThrow();
  }

  /** Every instant the member answered a question, oldest first (for streaks of days). */
  async answerTimes(guildId: string, memberId: string): Promise<number[]> {
    const rows = await this.store.db
      .selectFrom("quiz_attempts")
      .select("answered_at")
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .orderBy("answered_at")
      .execute();
    return rows.map((r) => r.answered_at);
  }

  /**
   * Questions whose latest attempt was wrong, most recently missed first. "Latest" is by insertion (id), not by
   * answered_at, so a clock set back never resurrects an old miss.
   */
  missed(guildId: string, memberId: string): Promise<MissedRow[]> {
    const { db } = this.store;
    const latest = db
      .selectFrom("quiz_attempts")
      .select((eb) => eb.fn.max("id").as("last_id"))
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .groupBy("question_key")
      .as("latest");
    return db
      .selectFrom(latest)
      .innerJoin("quiz_attempts as a", "a.id", "latest.last_id")
      .innerJoin("quiz_progress as p", (join) =>
        join
          .onRef("p.guild_id", "=", "a.guild_id")
          .onRef("p.member_id", "=", "a.member_id")
          .onRef("p.question_key", "=", "a.question_key"),
      )
      .select(["a.question_key as questionKey", "a.answered_at as missedAt", "p.due_at as dueAt"])
      .where("a.correct", "=", 0)
      .orderBy("a.answered_at", "desc")
      .orderBy("a.id", "desc")
      .execute();
  }

  leaderboard(guildId: string, limit: number): Promise<LeaderRow[]> {
    return this.store.db
      .selectFrom("quiz_attempts")
      .select((eb) => [
        "member_id as memberId",
        eb.fn.countAll<number>().as("answered"),
        eb.fn.sum<number>("correct").as("correct"),
        eb.fn.sum<number>("points").as("points"),
      ])
      .where("guild_id", "=", guildId)
      .groupBy("member_id")
      .orderBy("points", "desc")
      .orderBy("correct", "desc")
      .orderBy("member_id")
      .limit(limit)
      .execute();
  }
}

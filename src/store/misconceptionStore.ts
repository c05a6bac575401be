// Queries of misconception tracking (migration 110): which misconceptions a member's wrong answers showed,
// and the per-question right/wrong totals that a server's concept mastery is computed from.
import { sql } from "kysely";
import type { Store } from "./db.js";

export interface ShownMisconception {
  misconceptionId: string;
  times: number;
  lastShownAt: number;
}

export interface QuestionTally {
  questionKey: string;
  right: number;
  wrong: number;
}

export class MisconceptionStore {
  constructor(private readonly store: Store) {}

  async recordShown(
    guildId: string,
    memberId: string,
    questionKey: string,
    ids: string[],
    at: number,
  ): Promise<void> {
    if (ids.length === 0) return;
    await this.store.db
      .insertInto("quiz_misconceptions_shown")
      .values(
        ids.map((id) => ({
          guild_id: guildId,
          member_id: memberId,
          misconception_id: id,
          question_key: questionKey,
          shown_at: at,
        })),
      )
      .execute();
  }

  /** The member's misconceptions shown at least `minTimes` times, most often first. */
  async shown(guildId: string, memberId: string, minTimes: number): Promise<ShownMisconception[]> {
    const times = sql<number>`COUNT(*)`;
    const rows = await this.store.db
      .selectFrom("quiz_misconceptions_shown")
      .select([
        "misconception_id as misconceptionId",
        times.as("times"),
        sql<number>`MAX(shown_at)`.as("lastShownAt"),
      ])
      .where("guild_id", "=", guildId)
      .where("member_id", "=", memberId)
      .groupBy("misconception_id")
      .having(times, ">=", minTimes)
      .orderBy("times", "desc")
      .orderBy("lastShownAt", "desc")
      .orderBy("misconception_id")
      .execute();
    return rows.map((r) => ({ ...r, times: Number(r.times), lastShownAt: Number(r.lastShownAt) }));
  }

  /** Right and wrong answers per question across a whole server (for its weakest concept). */
  async serverTallies(guildId: string): Promise<QuestionTally[]> {
    const rows = await this.store.db
      .selectFrom("quiz_progress")
      .select([
        "question_key as questionKey",
        sql<number>`SUM(right_count)`.as("right"),
        sql<number>`SUM(wrong_count)`.as("wrong"),
      ])
      .where("guild_id", "=", guildId)
      .groupBy("question_key")
      .execute();
    return rows.map((r) => ({ questionKey: r.questionKey, right: Number(r.right), wrong: Number(r.wrong) }));
  }
}

// SQL of misconception tracking (migration 110): which misconceptions a member's wrong answers showed,
// and the per-question right/wrong totals that concept mastery is computed from.
import type { Db } from "./db.js";

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
  constructor(private readonly db: Db) {}

  recordShown(guildId: string, memberId: string, questionKey: string, ids: string[], at: number): void {
    if (ids.length === 0) return;
    const insert = this.db.prepare(
      `INSERT INTO quiz_misconceptions_shown (guild_id, member_id, misconception_id, question_key, shown_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const id of ids) insert.run(guildId, memberId, id, questionKey, at);
    })();
  }

  /** The member's misconceptions shown at least `minTimes` times, most often first. */
  shown(guildId: string, memberId: string, minTimes: number): ShownMisconception[] {
    return this.db
      .prepare(
        `SELECT misconception_id AS misconceptionId, COUNT(*) AS times, MAX(shown_at) AS lastShownAt
         FROM quiz_misconceptions_shown WHERE guild_id = ? AND member_id = ?
         GROUP BY misconception_id HAVING COUNT(*) >= ?
         ORDER BY times DESC, lastShownAt DESC, misconception_id`,
      )
      .all(guildId, memberId, minTimes) as ShownMisconception[];
  }

  /** Right and wrong answers per question across a whole server (for its weakest concept). */
  serverTallies(guildId: string): QuestionTally[] {
    return this.db
      .prepare(
        `SELECT question_key AS questionKey, SUM(right_count) AS right, SUM(wrong_count) AS wrong
         FROM quiz_progress WHERE guild_id = ? GROUP BY question_key`,
      )
      .all(guildId) as QuestionTally[];
  }
}

// SQL of the quiz engine: the derived-answer cache, Leitner progress and scored attempts (tables of migration 100).
import type { Db } from "./db.js";

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
  box: number;
  dueAt: number;
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

export class QuizStore {
  constructor(private readonly db: Db) {}

  getCachedAnswer(hash: string): CachedAnswer | null {
    const row = this.db
      .prepare(
        "SELECT answer_json AS answerJson, trace, flow_json AS flowJson FROM quiz_answer_cache WHERE content_hash = ?",
      )
      .get(hash) as CachedAnswer | undefined;
    return row ?? null;
  }

  putCachedAnswer(
    hash: string,
    answerJson: string,
    trace: string,
    now: number,
    flowJson: string | null = null,
  ): void {
    this.db
      .prepare(
        "INSERT OR REPLACE INTO quiz_answer_cache (content_hash, answer_json, trace, derived_at, flow_json) VALUES (?, ?, ?, ?, ?)",
      )
      .run(hash, answerJson, trace, now, flowJson);
  }

  progressRows(guildId: string, memberId: string): ProgressRow[] {
    return this.db
      .prepare(
        `SELECT question_key AS questionKey, box, due_at AS dueAt, right_count AS rightCount,
                wrong_count AS wrongCount, last_answered_at AS lastAnsweredAt
         FROM quiz_progress WHERE guild_id = ? AND member_id = ?`,
      )
      .all(guildId, memberId) as ProgressRow[];
  }

  progressRow(guildId: string, memberId: string, questionKey: string): ProgressRow | null {
    const row = this.db
      .prepare(
        `SELECT question_key AS questionKey, box, due_at AS dueAt, right_count AS rightCount,
                wrong_count AS wrongCount, last_answered_at AS lastAnsweredAt
         FROM quiz_progress WHERE guild_id = ? AND member_id = ? AND question_key = ?`,
      )
      .get(guildId, memberId, questionKey) as ProgressRow | undefined;
    return row ?? null;
  }

  /** One answer: the attempt row and the new Leitner state, together or not at all. */
  recordAttempt(a: AttemptInput): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO quiz_attempts (guild_id, member_id, question_key, correct, points, hint_used, answered_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          a.guildId,
          a.memberId,
          a.questionKey,
          a.correct ? 1 : 0,
          a.points,
          a.hintUsed ? 1 : 0,
          a.answeredAt,
        );
      this.db
        .prepare(
          `INSERT INTO quiz_progress (guild_id, member_id, question_key, box, due_at, right_count, wrong_count, last_answered_at)
           VALUES (@guildId, @memberId, @questionKey, @box, @dueAt, @right, @wrong, @answeredAt)
           ON CONFLICT (guild_id, member_id, question_key) DO UPDATE SET
             box = excluded.box, due_at = excluded.due_at, last_answered_at = excluded.last_answered_at,
             right_count = right_count + excluded.right_count, wrong_count = wrong_count + excluded.wrong_count`,
        )
        .run({
          guildId: a.guildId,
          memberId: a.memberId,
          questionKey: a.questionKey,
          box: a.box,
          dueAt: a.dueAt,
          right: a.correct ? 1 : 0,
          wrong: a.correct ? 0 : 1,
          answeredAt: a.answeredAt,
        });
    })();
  }

  totals(guildId: string, memberId: string): Totals {
    return this.db
      .prepare(
        `SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct, COALESCE(SUM(points), 0) AS points
         FROM quiz_attempts WHERE guild_id = ? AND member_id = ?`,
      )
      .get(guildId, memberId) as Totals;
  }

  /** Every instant the member answered a question, oldest first (for streaks of days). */
  answerTimes(guildId: string, memberId: string): number[] {
    return this.db
      .prepare(
        "SELECT answered_at FROM quiz_attempts WHERE guild_id = ? AND member_id = ? ORDER BY answered_at",
      )
      .pluck()
      .all(guildId, memberId) as number[];
  }

  /**
   * Questions whose latest attempt was wrong, most recently missed first. "Latest" is by insertion (id), not by
   * answered_at, so a clock set back never resurrects an old miss.
   */
  missed(guildId: string, memberId: string): MissedRow[] {
    return this.db
      .prepare(
        `SELECT a.question_key AS questionKey, a.answered_at AS missedAt, p.due_at AS dueAt
         FROM (SELECT MAX(id) AS last_id FROM quiz_attempts
               WHERE guild_id = @guildId AND member_id = @memberId GROUP BY question_key) latest
         JOIN quiz_attempts a ON a.id = latest.last_id
         JOIN quiz_progress p
           ON p.guild_id = a.guild_id AND p.member_id = a.member_id AND p.question_key = a.question_key
         WHERE a.correct = 0
         ORDER BY a.answered_at DESC, a.id DESC`,
      )
      .all({ guildId, memberId }) as MissedRow[];
  }

  leaderboard(guildId: string, limit: number): LeaderRow[] {
    return this.db
      .prepare(
        `SELECT member_id AS memberId, COUNT(*) AS answered, SUM(correct) AS correct, SUM(points) AS points
         FROM quiz_attempts WHERE guild_id = ?
         GROUP BY member_id ORDER BY points DESC, correct DESC, member_id LIMIT ?`,
      )
      .all(guildId, limit) as LeaderRow[];
  }
}

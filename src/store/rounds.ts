// Group quiz rounds: the round (which question, where, until when) and each member's answer, with one change allowed.
// Scores and progress are the quiz engine's (src/quiz); a closed round hands its answers over to it.
import type { Db } from "./db.js";

export interface GroupRound {
  id: number;
  guildId: string;
  channelId: string;
  messageId: string | null;
  questionKey: string;
  /** The quiz engine's seed: fixes the order and ids of the choices for everyone in the round. */
  seed: string;
  startedAt: number;
  endsAt: number;
  status: "open" | "closed";
}

export interface RoundAnswer {
  userId: string;
  choice: string;
  answeredAt: number;
  changes: number;
}

export type AnswerOutcome =
  | { kind: "locked"; choice: string }
  | { kind: "changed"; choice: string }
  | { kind: "same"; choice: string }
  | { kind: "no_more_changes"; choice: string }
  | { kind: "closed" };

/** How many times a member may change a group answer after the first one. */
export const ANSWER_CHANGES_ALLOWED = 1;

interface RoundRow {
  id: number;
  guild_id: string;
  channel_id: string;
  message_id: string | null;
  question_key: string;
  seed: string;
  started_at: number;
  ends_at: number;
  status: "open" | "closed";
}

const fromRow = (r: RoundRow): GroupRound => ({
  id: r.id,
  guildId: r.guild_id,
  channelId: r.channel_id,
  messageId: r.message_id,
  questionKey: r.question_key,
  seed: r.seed,
  startedAt: r.started_at,
  endsAt: r.ends_at,
  status: r.status,
});

export class RoundsStore {
  constructor(private readonly db: Db) {}

  create(r: Omit<GroupRound, "id" | "messageId" | "status">): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO group_rounds (guild_id, channel_id, question_key, seed, started_at, ends_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(r.guildId, r.channelId, r.questionKey, r.seed, r.startedAt, r.endsAt).lastInsertRowid,
    );
  }

  setMessage(roundId: number, messageId: string): void {
    this.db.prepare("UPDATE group_rounds SET message_id = ? WHERE id = ?").run(messageId, roundId);
  }

  get(roundId: number): GroupRound | null {
    const row = this.db.prepare("SELECT * FROM group_rounds WHERE id = ?").get(roundId) as
      | RoundRow
      | undefined;
    return row ? fromRow(row) : null;
  }

  open(): GroupRound[] {
    return (this.db.prepare("SELECT * FROM group_rounds WHERE status = 'open'").all() as RoundRow[]).map(
      fromRow,
    );
  }

  openInChannel(channelId: string): GroupRound | null {
    const row = this.db
      .prepare("SELECT * FROM group_rounds WHERE status = 'open' AND channel_id = ? LIMIT 1")
      .get(channelId) as RoundRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Closes a round once; false when it was already closed (two closers race after a restart). */
  close(roundId: number): boolean {
    return (
      this.db
        .prepare("UPDATE group_rounds SET status = 'closed' WHERE id = ? AND status = 'open'")
        .run(roundId).changes > 0
    );
  }

  /** Records a member's answer, allowing one change, atomically. */
  answer(roundId: number, userId: string, choice: string, at: number): AnswerOutcome {
    return this.db.transaction((): AnswerOutcome => {
      const round = this.get(roundId);
      if (round?.status !== "open" || at > round.endsAt) return { kind: "closed" };
      const prev = this.db
        .prepare("SELECT choice, changes FROM round_answers WHERE round_id = ? AND user_id = ?")
        .get(roundId, userId) as { choice: string; changes: number } | undefined;
      if (!prev) {
        this.db
          .prepare("INSERT INTO round_answers (round_id, user_id, choice, answered_at) VALUES (?, ?, ?, ?)")
          .run(roundId, userId, choice, at);
        return { kind: "locked", choice };
      }
      if (prev.choice === choice) return { kind: "same", choice };
      if (prev.changes >= ANSWER_CHANGES_ALLOWED) return { kind: "no_more_changes", choice: prev.choice };
      this.db
        .prepare(
          "UPDATE round_answers SET choice = ?, answered_at = ?, changes = changes + 1 WHERE round_id = ? AND user_id = ?",
        )
        .run(choice, at, roundId, userId);
      return { kind: "changed", choice };
    })();
  }

  answers(roundId: number): RoundAnswer[] {
    return (
      this.db
        .prepare(
          "SELECT user_id, choice, answered_at, changes FROM round_answers WHERE round_id = ? ORDER BY answered_at",
        )
        .all(roundId) as { user_id: string; choice: string; answered_at: number; changes: number }[]
    ).map((r) => ({ userId: r.user_id, choice: r.choice, answeredAt: r.answered_at, changes: r.changes }));
  }
}

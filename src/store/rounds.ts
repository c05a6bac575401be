// Group quiz rounds: the round (which question, where, until when) and each member's answer, with one change allowed.
// Scores and progress are the quiz engine's (src/quiz); a closed round hands its answers over to it.
import type { Selectable } from "kysely";
import type { Store } from "./db.js";
import type { Tables } from "./schema.js";

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

const fromRow = (r: Selectable<Tables["group_rounds"]>): GroupRound => ({
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
  constructor(private readonly store: Store) {}

  async create(r: Omit<GroupRound, "id" | "messageId" | "status">): Promise<number> {
    const row = await this.store.db
      .insertInto("group_rounds")
      .values({
        guild_id: r.guildId,
        channel_id: r.channelId,
        question_key: r.questionKey,
        seed: r.seed,
        started_at: r.startedAt,
        ends_at: r.endsAt,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async setMessage(roundId: number, messageId: string): Promise<void> {
    await this.store.db
      .updateTable("group_rounds")
      .set({ message_id: messageId })
      .where("id", "=", roundId)
      .execute();
  }

  async get(roundId: number): Promise<GroupRound | null> {
    const row = await this.store.db
      .selectFrom("group_rounds")
      .selectAll()
      .where("id", "=", roundId)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async open(): Promise<GroupRound[]> {
    const rows = await this.store.db
      .selectFrom("group_rounds")
      .selectAll()
      .where("status", "=", "open")
      .execute();
    return rows.map(fromRow);
  }

  async openInChannel(channelId: string): Promise<GroupRound | null> {
    const row = await this.store.db
      .selectFrom("group_rounds")
      .selectAll()
      .where("status", "=", "open")
      .where("channel_id", "=", channelId)
      .limit(1)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  /** Closes a round once; false when it was already closed (two closers race after a restart, or two processes). */
  async close(roundId: number): Promise<boolean> {
    const r = await this.store.db
      .updateTable("group_rounds")
      .set({ status: "closed" })
      .where("id", "=", roundId)
      .where("status", "=", "open")
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Records a member's answer, allowing one change, atomically. */
  answer(roundId: number, userId: string, choice: string, at: number): Promise<AnswerOutcome> {
    return this.store.transaction(async ({ db: trx, engine }): Promise<AnswerOutcome> => {
      // On PostgreSQL the round's row is locked: two clicks of one member (or a close) wait their turn, as
      // SQLite's single writer makes them do anyway.
      const round = await trx
        .selectFrom("group_rounds")
        .select(["status", "ends_at"])
        .where("id", "=", roundId)
        .$if(engine === "postgres", (qb) => qb.forUpdate())
        .executeTakeFirst();
      if (round?.status !== "open" || at > round.ends_at) return { kind: "closed" };
      const prev = await trx
        .selectFrom("round_answers")
        .select(["choice", "changes"])
        .where("round_id", "=", roundId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      if (!prev) {
        await trx
          .insertInto("round_answers")
          .values({ round_id: roundId, user_id: userId, choice, answered_at: at })
          .execute();
        return { kind: "locked", choice };
      }
      if (prev.choice === choice) return { kind: "same", choice };
      if (prev.changes >= ANSWER_CHANGES_ALLOWED) return { kind: "no_more_changes", choice: prev.choice };
      await trx
        .updateTable("round_answers")
        .set((eb) => ({ choice, answered_at: at, changes: eb("changes", "+", 1) }))
        .where("round_id", "=", roundId)
        .where("user_id", "=", userId)
        .execute();
      return { kind: "changed", choice };
    });
  }

  async answers(roundId: number): Promise<RoundAnswer[]> {
    const rows = await this.store.db
      .selectFrom("round_answers")
      .select(["user_id", "choice", "answered_at", "changes"])
      .where("round_id", "=", roundId)
      .orderBy("answered_at")
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      choice: r.choice,
      answeredAt: r.answered_at,
      changes: r.changes,
    }));
  }
}

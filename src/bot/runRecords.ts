// The code behind each /run reply, so "Re-run", "Edit & run" and "Delete" work after a restart.
import type { Store } from "../store/db.js";

export interface RunRecord {
  id: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  code: string;
  stdin: string;
}

export class RunRecords {
  constructor(private readonly store: Store) {}

  async add(r: Omit<RunRecord, "id">, at: number): Promise<number> {
    const row = await this.store.db
      .insertInto("bot_runs")
      .values({
        guild_id: r.guildId,
        channel_id: r.channelId,
        user_id: r.userId,
        code: r.code,
        stdin: r.stdin,
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async get(id: number): Promise<RunRecord | null> {
    const r = await this.store.db.selectFrom("bot_runs").selectAll().where("id", "=", id).executeTakeFirst();
    return r
      ? {
          id: r.id,
          guildId: r.guild_id,
          channelId: r.channel_id,
          userId: r.user_id,
          code: r.code,
          stdin: r.stdin,
        }
      : null;
  }
}

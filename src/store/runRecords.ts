// The code behind each /run reply, so "Re-run", "Edit & run" and "Delete" work after a restart. A file's code
// is kept as its bytes (code_bytes), so a Re-run reads it exactly as the first run did.
import type { Store } from "./db.js";

export interface RunRecord {
  id: number;
  guildId: string | null;
  channelId: string;
  userId: string;
  /** Text, or a file's own bytes (see RunRequest.code). */
  code: string | Uint8Array;
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
        code: typeof r.code === "string" ? r.code : "",
        // Both drivers bind a Buffer as bytes (BLOB, BYTEA); better-sqlite3 refuses other Uint8Arrays.
        code_bytes: typeof r.code === "string" ? null : Buffer.from(r.code),
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
          // Bytes since migration 204 are in code_bytes; a SQLite row from before it kept them in code itself.
          code: r.code_bytes ?? r.code,
          stdin: r.stdin,
        }
      : null;
  }
}

// The code behind each /run reply, so "Re-run", "Edit & run" and "Delete" work after a restart. A file's code
// is kept as its bytes (code_bytes), so a Re-run reads it exactly as the first run did. The run's clause report
// is kept beside it (flow_json), so the "Flow" picture is drawn from it later (after a restart too) without
// running the code again.
import type { FlowReport } from "../picture/types.js";
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

  /** Keeps the clause report of the run (once it has run). */
  async setFlow(id: number, flow: FlowReport): Promise<void> {
    await this.store.db
      .updateTable("bot_runs")
      .set({ flow_json: JSON.stringify(flow) })
      .where("id", "=", id)
      .execute();
  }

  /** The kept clause report, null when the run kept none (it had no try, with or raise, or is unknown). */
  async flow(id: number): Promise<FlowReport | null> {
    const r = await this.store.db
      .selectFrom("bot_runs")
      .select("flow_json")
      .where("id", "=", id)
      .executeTakeFirst();
    return r?.flow_json ? (JSON.parse(r.flow_json) as FlowReport) : null;
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

// The code behind each /run reply, so "Re-run", "Edit & run" and "Delete" work after a restart. A file's code
// is kept as its bytes (a BLOB in the code column), so a Re-run reads it exactly as the first run did. The run's
// clause report is kept beside it, so the "Flow" picture is drawn from it later (after a restart too) without
// running the code again.
import type { FlowReport } from "../picture/types.js";
import type { Db } from "./db.js";

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
  constructor(private readonly db: Db) {}

  add(r: Omit<RunRecord, "id">, at: number): number {
    return Number(
      this.db
        .prepare(
          "INSERT INTO bot_runs (guild_id, channel_id, user_id, code, stdin, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(r.guildId, r.channelId, r.userId, stored(r.code), r.stdin, at).lastInsertRowid,
    );
  }

  /** Keeps the clause report of the run (once it has run). */
  setFlow(id: number, flow: FlowReport): void {
    this.db.prepare("UPDATE bot_runs SET flow_json = ? WHERE id = ?").run(JSON.stringify(flow), id);
  }

  /** The kept clause report, null when the run kept none (it had no try, with or raise, or is unknown). */
  flow(id: number): FlowReport | null {
    const r = this.db.prepare("SELECT flow_json FROM bot_runs WHERE id = ?").get(id) as
      | { flow_json: string | null }
      | undefined;
    return r?.flow_json ? (JSON.parse(r.flow_json) as FlowReport) : null;
  }

  get(id: number): RunRecord | null {
    const r = this.db.prepare("SELECT * FROM bot_runs WHERE id = ?").get(id) as
      | {
          id: number;
          guild_id: string | null;
          channel_id: string;
          user_id: string;
          code: string | Buffer;
          stdin: string;
        }
      | undefined;
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

/** better-sqlite3 binds a Buffer as a BLOB (and gives one back), any other Uint8Array it refuses. */
function stored(code: string | Uint8Array): string | Buffer {
  return typeof code === "string" ? code : Buffer.from(code);
}

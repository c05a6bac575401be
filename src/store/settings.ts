// Per-server settings changed with /config: where /run is allowed, lesson channels, group round length.
import type { Db } from "./db.js";

export const RUN_MODES = ["everywhere", "lesson_channels", "off"] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface GuildSettings {
  runMode: RunMode;
  /** Null: the bot's default (GROUP_ROUND_SECONDS). */
  roundSeconds: number | null;
  lessonChannels: string[];
}

export class SettingsStore {
  constructor(private readonly db: Db) {}

  get(guildId: string): GuildSettings {
    const row = this.db
      .prepare("SELECT run_mode, round_seconds FROM guild_settings WHERE guild_id = ?")
      .get(guildId) as { run_mode: RunMode; round_seconds: number | null } | undefined;
    const channels = this.db
      .prepare("SELECT channel_id FROM lesson_channels WHERE guild_id = ? ORDER BY rowid")
      .all(guildId) as { channel_id: string }[];
    return {
      runMode: row?.run_mode ?? "everywhere",
      roundSeconds: row?.round_seconds ?? null,
      lessonChannels: channels.map((c) => c.channel_id),
    };
  }

  private upsert(guildId: string, column: "run_mode" | "round_seconds", value: string | number | null): void {
    this.db
      .prepare(
        `INSERT INTO guild_settings (guild_id, ${column}, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET ${column} = excluded.${column}, updated_at = excluded.updated_at`,
      )
      .run(guildId, value, new Date().toISOString());
  }

  setRunMode(guildId: string, mode: RunMode): void {
    this.upsert(guildId, "run_mode", mode);
  }

  setRoundSeconds(guildId: string, seconds: number | null): void {
    this.upsert(guildId, "round_seconds", seconds);
  }

  /** True when the channel was newly added. */
  addLessonChannel(guildId: string, channelId: string): boolean {
    return (
      this.db
        .prepare("INSERT OR IGNORE INTO lesson_channels (guild_id, channel_id) VALUES (?, ?)")
        .run(guildId, channelId).changes > 0
    );
  }

  /** True when the channel was in the list. */
  removeLessonChannel(guildId: string, channelId: string): boolean {
    return (
      this.db
        .prepare("DELETE FROM lesson_channels WHERE guild_id = ? AND channel_id = ?")
        .run(guildId, channelId).changes > 0
    );
  }
}

// Per-server settings changed with /config: where /run is allowed, lesson channels, group round length.
import type { Store } from "./db.js";

export const RUN_MODES = ["everywhere", "lesson_channels", "off"] as const;
export type RunMode = (typeof RUN_MODES)[number];

export interface GuildSettings {
  runMode: RunMode;
  /** Null: the bot's default (GROUP_ROUND_SECONDS). */
  roundSeconds: number | null;
  lessonChannels: string[];
}

export class SettingsStore {
  constructor(private readonly store: Store) {}

  async get(guildId: string): Promise<GuildSettings> {
    const { db } = this.store;
    const [row, channels] = await Promise.all([
      db
        .selectFrom("guild_settings")
        .select(["run_mode", "round_seconds"])
        .where("guild_id", "=", guildId)
        .executeTakeFirst(),
      db
        .selectFrom("lesson_channels")
        .select("channel_id")
        .where("guild_id", "=", guildId)
        .orderBy("rowid")
        .execute(),
    ]);
    return {
      runMode: row?.run_mode ?? "everywhere",
      roundSeconds: row?.round_seconds ?? null,
      lessonChannels: channels.map((c) => c.channel_id),
    };
  }

  private async upsert(guildId: string, values: { run_mode: RunMode } | { round_seconds: number | null }) {
    const updated_at = new Date().toISOString();
    await this.store.db
      .insertInto("guild_settings")
      .values({ guild_id: guildId, updated_at, ...values })
      .onConflict((oc) => oc.column("guild_id").doUpdateSet({ ...values, updated_at }))
      .execute();
  }

  async setRunMode(guildId: string, mode: RunMode): Promise<void> {
    await this.upsert(guildId, { run_mode: mode });
  }

  async setRoundSeconds(guildId: string, seconds: number | null): Promise<void> {
    await this.upsert(guildId, { round_seconds: seconds });
  }

  /** True when the channel was newly added. */
  async addLessonChannel(guildId: string, channelId: string): Promise<boolean> {
    const r = await this.store.db
      .insertInto("lesson_channels")
      .values({ guild_id: guildId, channel_id: channelId })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** True when the channel was in the list. */
  async removeLessonChannel(guildId: string, channelId: string): Promise<boolean> {
    const r = await this.store.db
      .deleteFrom("lesson_channels")
      .where("guild_id", "=", guildId)
      .where("channel_id", "=", channelId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

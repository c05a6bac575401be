// The daily quiz post of each server: where, when (local time in a time zone), which lesson, last day posted.
import type { Selectable } from "kysely";
import type { Store } from "./db.js";
import type { Tables } from "./schema.js";

export interface DailyPost {
  guildId: string;
  channelId: string;
  /** "HH:MM", 24-hour, in `timezone`. */
  time: string;
  /** An IANA time zone name, e.g. "Europe/Paris". */
  timezone: string;
  lessonId: string;
  /** The local date (YYYY-MM-DD in `timezone`) of the last post, so a restart never posts twice a day. */
  lastPostedDate: string | null;
}

const fromRow = (r: Selectable<Tables["daily_posts"]>): DailyPost => ({
  guildId: r.guild_id,
  channelId: r.channel_id,
  time: r.time,
  timezone: r.timezone,
  lessonId: r.lesson_id,
  lastPostedDate: r.last_posted_date,
});

export class ScheduleStore {
  constructor(private readonly store: Store) {}

  async get(guildId: string): Promise<DailyPost | null> {
    const row = await this.store.db
      .selectFrom("daily_posts")
      .selectAll()
      .where("guild_id", "=", guildId)
      .executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  async all(): Promise<DailyPost[]> {
    return (await this.store.db.selectFrom("daily_posts").selectAll().execute()).map(fromRow);
  }

  /** Sets (or replaces) the daily post; keeps the last posted date so changing the time never double-posts. */
  async set(p: Omit<DailyPost, "lastPostedDate">): Promise<void> {
    const changes = { channel_id: p.channelId, time: p.time, timezone: p.timezone, lesson_id: p.lessonId };
    await this.store.db
      .insertInto("daily_posts")
      .values({ guild_id: p.guildId, ...changes })
      .onConflict((oc) => oc.column("guild_id").doUpdateSet(changes))
      .execute();
  }

  async remove(guildId: string): Promise<boolean> {
    const r = await this.store.db
      .deleteFrom("daily_posts")
      .where("guild_id", "=", guildId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Claims today's post: true only for the first caller on that local date, across every bot process. */
  async claim(guildId: string, localDate: string): Promise<boolean> {
    const r = await this.store.db
      .updateTable("daily_posts")
      .set({ last_posted_date: localDate })
      .where("guild_id", "=", guildId)
      .where((eb) => eb.or([eb("last_posted_date", "is", null), eb("last_posted_date", "<>", localDate)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

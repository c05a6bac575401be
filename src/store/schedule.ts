// The daily quiz post of each server: where, when (local time in a time zone), which lesson, last day posted.
import type { Db } from "./db.js";

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

interface Row {
  guild_id: string;
  channel_id: string;
  time: string;
  timezone: string;
  lesson_id: string;
  last_posted_date: string | null;
}

const fromRow = (r: Row): DailyPost => ({
  guildId: r.guild_id,
  channelId: r.channel_id,
  time: r.time,
  timezone: r.timezone,
  lessonId: r.lesson_id,
  lastPostedDate: r.last_posted_date,
});

export class ScheduleStore {
  constructor(private readonly db: Db) {}

  get(guildId: string): DailyPost | null {
    const row = this.db.prepare("SELECT * FROM daily_posts WHERE guild_id = ?").get(guildId) as
      | Row
      | undefined;
    return row ? fromRow(row) : null;
  }

  all(): DailyPost[] {
    return (this.db.prepare("SELECT * FROM daily_posts").all() as Row[]).map(fromRow);
  }

  /** Sets (or replaces) the daily post; keeps the last posted date so changing the time never double-posts. */
  set(p: Omit<DailyPost, "lastPostedDate">): void {
    this.db
      .prepare(
        `INSERT INTO daily_posts (guild_id, channel_id, time, timezone, lesson_id) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id, time = excluded.time,
           timezone = excluded.timezone, lesson_id = excluded.lesson_id`,
      )
      .run(p.guildId, p.channelId, p.time, p.timezone, p.lessonId);
  }

  remove(guildId: string): boolean {
    return this.db.prepare("DELETE FROM daily_posts WHERE guild_id = ?").run(guildId).changes > 0;
  }

  /** Claims today's post: true only for the first caller on that local date. */
  claim(guildId: string, localDate: string): boolean {
    return (
      this.db
        .prepare(
          "UPDATE daily_posts SET last_posted_date = ? WHERE guild_id = ? AND (last_posted_date IS NULL OR last_posted_date <> ?)",
        )
        .run(localDate, guildId, localDate).changes > 0
    );
  }
}

// The daily quiz post: every tick, each server whose local time (in its time zone) has passed its post time
// and that has not posted today gets a group round in its channel. The clock is injected so tests can move it.
import type { DailyPost } from "../store/schedule.js";
import { lessonById } from "./quizContent.js";
import { defaultSource } from "./quizFlow.js";
import type { BotServices } from "./types.js";

export const TICK_MS = 30_000;

/** The local date and "HH:MM" of an instant in a time zone. */
export function localNow(at: number, timezone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function isDue(post: DailyPost, at: number): { due: boolean; date: string } {
  const local = localNow(at, post.timezone);
  return { due: local.time >= post.time && post.lastPostedDate !== local.date, date: local.date };
}

export class DailyPostScheduler {
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly bot: BotServices) {}

  start(intervalMs = TICK_MS): void {
    this.stop();
    this.timer = setInterval(
      () =>
        void this.tick().catch((err: unknown) => this.bot.logger.error({ err }, "daily post tick failed")),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Posts every due daily quiz; returns the servers posted to. Safe to call at any time (claims first). */
  async tick(): Promise<string[]> {
    const posted: string[] = [];
    for (const post of await this.bot.schedule.all()) {
      const { due, date } = isDue(post, this.bot.clock.now());
      if (!due || !(await this.bot.schedule.claim(post.guildId, date))) continue;
      const lesson = lessonById(this.bot.content, post.lessonId);
      if (!lesson) {
        this.bot.logger.warn({ guild: post.guildId, lesson: post.lessonId }, "daily post: lesson not found");
        continue;
      }
      try {
        // Drawn as the server's quizzes are: its own questions mixed in when /config quiz says so.
        await this.bot.groupRounds.startInChannel(
          post.guildId,
          post.channelId,
          lesson,
          "📅 **Daily quiz** · ",
          {
            source: await defaultSource(this.bot, post.guildId),
          },
        );
        posted.push(post.guildId);
      } catch (err) {
        this.bot.logger.error({ err, guild: post.guildId, channel: post.channelId }, "daily post failed");
      }
    }
    return posted;
  }
}

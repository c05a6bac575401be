// Streaks of study days: consecutive calendar days with at least one answered question.
// A day is a calendar day in an IANA time zone (the caller's choice: the bot passes the server's daily-post
// time zone, so "today" matches the daily quiz; UTC otherwise).

export interface Streak {
  /** Consecutive days ending today or yesterday; 0 when the last active day is older. */
  current: number;
  /** The longest run of consecutive days ever. */
  best: number;
  /** True when the member already answered today: the current streak is safe for today. */
  activeToday: boolean;
  /** The time zone the days were counted in (after falling back to UTC for an unknown name). */
  timeZone: string;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter giving YYYY-MM-DD in `timeZone`; unknown names fall back to UTC rather than throw at a member. */
function dateFormatter(timeZone: string): { format: Intl.DateTimeFormat; timeZone: string } {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-CA", {
        timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
    } catch {
      return dateFormatter("UTC");
    }
    formatters.set(timeZone, format);
  }
  return { format, timeZone };
}

/** The calendar day of `at` in `timeZone`, as a day count since 1970-01-01: consecutive days differ by 1. */
export function dayNumber(at: number, timeZone: string): number {
  return dayNumberWith(dateFormatter(timeZone).format, at);
}

function dayNumberWith(format: Intl.DateTimeFormat, at: number): number {
  const [y, m, d] = format.format(at).split("-").map(Number);
  return Math.round(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS);
}

/** The streak of a member who answered at the instants `answeredAt` (any order), seen at `now`. */
export function streakOf(answeredAt: Iterable<number>, now: number, timeZone = "UTC"): Streak {
  const zone = dateFormatter(timeZone);
  const days = [...new Set(Array.from(answeredAt, (at) => dayNumberWith(zone.format, at)))].sort(
    (a, b) => a - b,
  );
  const today = dayNumberWith(zone.format, now);
  let best = 0;
  let run = 0;
  let previous = Number.NaN;
  for (const day of days) {
    // Answers "in the future" (a clock moved back) do not count: a streak ends today at the latest.
    if (day > today) break;
    run = day === previous + 1 ? run + 1 : 1;
    best = Math.max(best, run);
    previous = day;
  }
  // `run` is now the run that ends on the last active day up to today.
  const current = previous === today || previous === today - 1 ? run : 0;
  return { current, best, activeToday: previous === today, timeZone: zone.timeZone };
}

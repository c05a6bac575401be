// Discord's timestamp formats (`<t:…:R>` "in 25 seconds", `:t` "18:30", …), and the clock that keeps the
// relative ones current on the page.

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

export function formatTimestamp(seconds: number, format: string, nowMs: number): string {
  const date = new Date(seconds * 1000);
  switch (format) {
    case "R": {
      const diff = seconds - nowMs / 1000;
      for (const [unit, size] of UNITS)
        if (Math.abs(diff) >= size || unit === "second")
          return relative.format(Math.round(diff / size), unit);
      return "";
    }
    case "t":
      return date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    case "T":
      return date.toLocaleTimeString("en-GB");
    case "d":
      return date.toLocaleDateString("en-GB");
    case "D":
      return date.toLocaleDateString("en-GB", { dateStyle: "long" });
    case "F":
      return date.toLocaleString("en-GB", { dateStyle: "full", timeStyle: "short" });
    default:
      return date.toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" });
  }
}

/** Updates every relative timestamp on the page once a second. */
export function startClock(root: ParentNode): void {
  setInterval(() => {
    const now = Date.now();
    for (const el of root.querySelectorAll<HTMLElement>('time.ts[data-format="R"]'))
      el.textContent = formatTimestamp(Number(el.dataset.ts), "R", now);
  }, 1000);
}

/** A message's time as Discord writes it beside the author: "Today at 18:30". */
export function messageTime(ms: number, nowMs = Date.now()): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(new Date(nowMs)) - day(date)) / 86_400_000);
  if (days === 0) return `Today at ${time}`;
  if (days === 1) return `Yesterday at ${time}`;
  return `${date.toLocaleDateString("en-GB")} ${time}`;
}

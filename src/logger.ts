// One logger for the whole program: JSON lines when piped (for log collectors), pretty on a terminal.
import pino, { type Logger } from "pino";

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? "info"): Logger {
  const pretty = process.stdout.isTTY === true;
  return pino({
    level,
    // Never log secrets, even by accident, at any level.
    redact: {
      paths: ["token", "*.token", "DISCORD_TOKEN", "*.DISCORD_TOKEN", "headers.authorization"],
      remove: true,
    },
    ...(pretty
      ? { transport: { target: "pino-pretty", options: { colorize: true, translateTime: "SYS:HH:MM:ss" } } }
      : {}),
  });
}

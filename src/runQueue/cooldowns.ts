// The /run cooldown shared by every bot process: one key per member in Redis holding the time its wait ends
// (by the bot's clock, as the in-memory cooldown counts), expiring soon after. Redis away: no cooldown is
// taken (the run queue refuses the run anyway, and says why).
import type { Redis } from "ioredis";
import { KEY_PREFIX, openRedis } from "./redis.js";

export interface SharedCooldowns {
  /** Seconds still to wait (0: go ahead, and the wait starts now). */
  take(userId: string): Promise<number>;
  close(): Promise<void>;
}

/** Atomically: the milliseconds left of a wait that has not ended, or else 0 and a new wait from now. */
const TAKE = `
local left = tonumber(redis.call('GET', KEYS[1]) or '0') - tonumber(ARGV[1])
if left > 0 then return left end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 0`;

export function createSharedCooldowns(
  url: string,
  seconds: number,
  opts: { redis?: Redis; now?: () => number } = {},
) {
  const redis = opts.redis ?? openRedis(url, "commands");
  const now = opts.now ?? Date.now;
  const gate: SharedCooldowns = {
    async take(userId) {
      if (seconds <= 0 || redis.status !== "ready") return 0;
      const at = now();
      const waitMs = seconds * 1000;
      try {
        const left = Number(
          await redis.eval(TAKE, 1, `${KEY_PREFIX}cooldown:${userId}`, at, at + waitMs, waitMs),
        );
        // Never more than one whole wait, should the bot machines' clocks disagree.
        return left > 0 ? Math.min(seconds, Math.ceil(left / 1000)) : 0;
      } catch {
        return 0;
      }
    },
    async close() {
      redis.disconnect();
    },
  };
  return gate;
}

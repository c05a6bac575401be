// The /run cooldown shared by every bot process: one key per member in Redis that expires when the wait is
// over. Redis away: no cooldown is taken (the run queue refuses the run anyway, and says why).
import type { Redis } from "ioredis";
import { KEY_PREFIX, openRedis } from "./redis.js";

export interface SharedCooldowns {
  /** Seconds still to wait (0: go ahead, and the wait starts now). */
  take(userId: string): Promise<number>;
  close(): Promise<void>;
}

export function createSharedCooldowns(
  url: string,
  seconds: number,
  redis: Redis = openRedis(url, "commands"),
) {
  const gate: SharedCooldowns = {
    async take(userId) {
      if (seconds <= 0 || redis.status !== "ready") return 0;
      const key = `${KEY_PREFIX}cooldown:${userId}`;
      try {
        if ((await redis.set(key, "1", "PX", seconds * 1000, "NX")) === "OK") return 0;
        const left = await redis.pttl(key);
        return left > 0 ? Math.ceil(left / 1000) : 0;
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

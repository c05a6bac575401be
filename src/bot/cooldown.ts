// Per-member cooldown for /run: a member waits N seconds between two runs. In one process, this memory; across
// shards and machines, the shared one in Redis (src/runQueue/cooldowns.ts) behind the same interface.
import type { Clock } from "./clock.js";

export interface CooldownGate {
  /** Seconds still to wait (0: go ahead, and the wait starts now). */
  take(userId: string): number | Promise<number>;
}

export class Cooldowns implements CooldownGate {
  private last = new Map<string, number>();
  constructor(
    private readonly seconds: number,
    private readonly clock: Clock,
  ) {}

  /** Seconds still to wait (0: go ahead, and the wait starts now). */
  take(userId: string): number {
    if (this.seconds <= 0) return 0;
    const now = this.clock.now();
    const until = (this.last.get(userId) ?? 0) + this.seconds * 1000;
    if (now < until) return Math.ceil((until - now) / 1000);
    this.last.set(userId, now);
    return 0;
  }
}

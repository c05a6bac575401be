// Time as the bot sees it; tests move it by hand (the daily post, round ends, cooldowns).
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

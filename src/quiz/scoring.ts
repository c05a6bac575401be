// Points for one answer. Pure, so the bot, tests and any other front end score alike.
import type { RoundMode } from "./types.js";

export const SCORING = {
  /** A right answer. */
  base: 100,
  /** Taken off a right answer when the hint was shown. */
  hintCost: 50,
  /** Group rounds: an instant right answer earns this much more, falling linearly to 0 at the round's end. */
  speedBonusMax: 50,
} as const;

export interface ScoreInput {
  correct: boolean;
  hintUsed?: boolean;
  mode?: RoundMode;
  elapsedMs?: number;
  roundMs?: number;
}

export function scoreAnswer({
  correct,
  hintUsed = false,
  mode = "solo",
  elapsedMs = 0,
  roundMs = 0,
}: ScoreInput): number {
  if (!correct) return 0;
  let points = SCORING.base - (hintUsed ? SCORING.hintCost : 0);
  if (mode === "group" && roundMs > 0) {
    const left = Math.min(1, Math.max(0, 1 - elapsedMs / roundMs));
    points += Math.round(SCORING.speedBonusMax * left);
  }
  return points;
}

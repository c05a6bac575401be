// Spaced repetition with Leitner boxes: a miss sends a question back to box 1 (it returns soon),
// each right answer moves it up one box (it returns later and later).

export const BOXES = 5;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How long a question rests in each box before it is due again. */
export const BOX_INTERVAL_MS: Readonly<Record<number, number>> = {
  1: 10 * MINUTE,
  2: 1 * DAY,
  3: 3 * DAY,
  4: 7 * DAY,
  5: 21 * DAY,
};
/** A question in this box or higher counts as mastered. */
export const MASTERED_BOX = 3;

export interface BoxState {
  box: number;
  dueAt: number;
}

/** The next state after an answer; `previous` is null the first time a member answers the question. */
export function nextBox(previous: BoxState | null, correct: boolean, now: number): BoxState {
  const box = correct ? Math.min(BOXES, (previous?.box ?? 1) + 1) : 1;
  return { box, dueAt: now + (BOX_INTERVAL_MS[box] ?? DAY) };
}

// Types of the misconception layer that the layers above share (lessons, quiz, bot).
import type { RunRequest, RunResult } from "../sandbox/types.js";

/** A misconception a wrong choice reflects, with the lines (of the question's code) its feedback points at. */
export interface MisconceptionRef {
  id: string;
  /** By role ("finally", "except", "try", "else", "with"): where the rule changed the program. */
  lines?: Partial<Record<string, number[]>>;
}

/** A misconception a lesson defines for itself: only what the feedback reads. */
export interface OwnMisconception {
  id: string;
  belief: string;
  correction: string;
}

/** Runs code in the sandbox (the lessons' CodeRunner is one). */
export type RunCodeForRules = (request: RunRequest) => Promise<RunResult>;

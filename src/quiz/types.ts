// The quiz engine's public types. No Discord here: a front end turns these into buttons and embeds.

import type { CodeRunner, Lesson, QuestionKind } from "../lessons/types.js";
import type { FlowReport } from "../picture/types.js";
import type { Store } from "../store/db.js";
import type { Streak } from "./streak.js";

export type { CodeRunner, Streak };

export interface QuizEngineOptions {
  /** Where the answer cache and members' progress live (SQLite or PostgreSQL). */
  store: Store;
  lessons: Lesson[];
  runner: CodeRunner;
  /** Milliseconds since the epoch; injectable so spaced repetition can be tested. Default Date.now. */
  clock?: () => number;
  /** Tag of the sandbox/tracer build: part of the cache key, so a new tracer re-derives answers. */
  runnerVersion?: string;
}

export interface PrepareReport {
  questions: number;
  /** Answers taken from the store's cache. */
  cached: number;
  /** Answers derived now by running code in the sandbox. */
  derived: number;
  /** Questions left out of play because their answer could not be derived. */
  unavailable: { key: string; reason: string }[];
}

export interface PresentedChoice {
  /** Stable within a round: "A".."E", or the clause name for clause questions. Reveals nothing. */
  id: string;
  /** At most 80 characters: fits a Discord button. */
  label: string;
  /** The full text (differs from label for whole-output questions, whose choices are several lines). */
  text: string;
}

export interface PresentedQuestion {
  key: string;
  lessonId: string;
  sectionId: string;
  kind: QuestionKind;
  prompt: string;
  code: string;
  hint: string;
  choices: PresentedChoice[];
  /** True when several choices may be picked (clause questions). */
  multi: boolean;
}

export type RoundMode = "solo" | "group";

export interface AnswerInput {
  key: string;
  /** The same seed that presented the question (the choice ids depend on it). */
  seed: string;
  choiceIds: string[];
  hintUsed?: boolean;
  mode?: RoundMode;
  /** Group rounds: time from posting to this answer, and the round length. */
  elapsedMs?: number;
  roundMs?: number;
}

export interface AnswerResult {
  correct: boolean;
  correctChoiceIds: string[];
  /** The lesson's explanation. */
  explanation: string;
  /** The clause explanation of the real run (from the explainer); may be empty. */
  trace: string;
  /** The real run's clause report, to draw the picture of its flow (src/picture); null when not known yet. */
  flow: FlowReport | null;
  points: number;
}

export interface RecordInput {
  guildId: string;
  memberId: string;
  key: string;
  correct: boolean;
  points: number;
  hintUsed?: boolean;
}

export interface DrawInput {
  lessonId: string;
  sectionId?: string;
  /** With a member, questions they missed and that are due come back first, then ones they have not seen. */
  memberId?: string;
  guildId?: string;
  /** Keys not to draw (e.g. already asked in this session). */
  exclude?: string[];
  /** Seed for the tie-break among equally good questions; default random. */
  seed?: string;
}

export interface LessonProgress {
  lessonId: string;
  title: string;
  total: number;
  seen: number;
  /** Answered right often enough to reach Leitner box 3 or more. */
  mastered: number;
}

/** A question the member missed and has not answered right since. */
export interface MissedQuestion {
  key: string;
  lessonId: string;
  lessonTitle: string;
  sectionId: string;
  sectionTitle: string;
  /** The question's prompt on one line, at most PROMPT_PREVIEW characters. */
  prompt: string;
  /** Milliseconds since the epoch of the latest miss. */
  missedAt: number;
  /** When spaced repetition brings it back (may be in the past: it is due now). */
  dueAt: number;
}

export interface ProgressOptions {
  /** IANA time zone whose calendar days count for the streak; default (and fallback for unknown names) UTC. */
  timeZone?: string;
}

export interface MemberProgress {
  answered: number;
  correct: number;
  points: number;
  /** Missed questions whose time to come back has arrived. */
  dueForReview: number;
  lessons: LessonProgress[];
  /** Days in a row with at least one answer (see ./streak.ts). */
  streak: Streak;
  /** Every question missed and not answered right since, most recently missed first (playable ones only). */
  missed: MissedQuestion[];
}

export interface LeaderboardRow {
  memberId: string;
  points: number;
  correct: number;
  answered: number;
}

// The quiz engine's public types. No Discord here: a front end turns these into buttons and embeds.

import type { Choice, WrongAnswer } from "../lessons/choices.js";
import type { CodeRunner, Lesson, LessonMisconception, QuestionKind } from "../lessons/types.js";
import type { FlowReport } from "../picture/types.js";
import type { Store } from "../store/db.js";
import type { ConceptMastery } from "./concepts.js";
import type { Streak } from "./streak.js";

export type { CodeRunner, ConceptMastery, Streak };

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
  /** Playable questions whose misconception rules could not run this time (tried again at the next start). */
  withoutMisconceptions: { key: string; reason: string }[];
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
  /**
   * For a wrong answer that a misconception explains: which one, and its correction pointing at the code's
   * lines ("You chose B: that is what would print if ..."). Null for a right answer or an unexplained one.
   */
  feedback: string | null;
  /** The ids of the misconceptions named for the chosen wrong answer (empty when right). */
  misconceptions: string[];
}

export interface RecordInput {
  guildId: string;
  memberId: string;
  key: string;
  correct: boolean;
  points: number;
  hintUsed?: boolean;
  /** The misconceptions the (wrong) answer showed, from AnswerResult.misconceptions. */
  misconceptions?: string[];
}

export interface DrawInput {
  lessonId: string;
  sectionId?: string;
  /** Only questions that test this concept (e.g. a group round on the server's weakest one). */
  concept?: string;
  /** The lessons' questions (default), the server's own (guildId's), or both mixed. */
  source?: "lessons" | "server" | "mixed";
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
  /** Mastery per concept the member has answered, weakest first. */
  concepts: ConceptMastery[];
  /** Misconceptions the member's wrong answers showed more than once, most often first. */
  misconceptions: RepeatedMisconception[];
}

export interface RepeatedMisconception {
  id: string;
  times: number;
  lastShownAt: number;
  belief: string;
  /** The correction, without line references (they belong to one question's code). */
  correction: string;
}

export interface LeaderboardRow {
  memberId: string;
  points: number;
  correct: number;
  answered: number;
}

/** Every choice of a question with the misconceptions behind each wrong one. */
export interface ChoicePool {
  kind: QuestionKind;
  /** Right answer first. Output questions offer `offered` of them per round (the right one always). */
  choices: Choice[];
  /** Clause questions: the wrong clause sets misconceptions predict. */
  wrongSets: WrongAnswer[];
  offered: number;
  /** The lesson's own misconceptions (for their beliefs). */
  own: LessonMisconception[];
  /** The concepts the question tests. */
  concepts: string[];
}

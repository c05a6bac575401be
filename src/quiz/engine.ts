// The quiz engine: derived answers (cached in the store by content hash), drawing with spaced repetition,
// per-round reproducible choice order, checking and scoring.
import { createHash } from "node:crypto";
import { buildChoices, type Choice, MAX_LABEL } from "../lessons/choices.js";
import { DERIVATION_VERSION, type DerivedAnswer, deriveAnswer } from "../lessons/derive.js";
import { limiter } from "../lessons/limit.js";
import type { Lesson, Question } from "../lessons/types.js";
import { type FlowReport, flowReportOf } from "../picture/types.js";
import type { ExplainedRun } from "../runs/index.js";
import type { Store } from "../store/db.js";
import { QuizStore } from "../store/quizStore.js";
import { MASTERED_BOX, nextBox } from "./leitner.js";
import { scoreAnswer } from "./scoring.js";
import { seededRandom, shuffled } from "./shuffle.js";
import { streakOf } from "./streak.js";
import type {
  AnswerInput,
  AnswerResult,
  DrawInput,
  LeaderboardRow,
  MemberProgress,
  MissedQuestion,
  PrepareReport,
  PresentedChoice,
  PresentedQuestion,
  ProgressOptions,
  QuizEngineOptions,
  RecordInput,
} from "./types.js";

/** A programming mistake of the caller (unknown key, prepare() not called); not for members' eyes. */
export class QuizError extends Error {
  override name = "QuizError";
}

interface Playable {
  question: Question;
  answer: DerivedAnswer;
  trace: string;
  /** The run's clause report, for the picture of its flow (null until a run has given it). */
  flow: FlowReport | null;
  /** Canonical order, right answer first. */
  choices: Choice[];
}

/** How many sandbox runs prepare() keeps in flight: the sandbox queue is shared with members' /run. */
const PREPARE_CONCURRENCY = 2;
const LETTERS = "ABCDE";
/** How long a prompt may be in the list of missed questions. */
export const PROMPT_PREVIEW = 80;

/** The cache key of a derived answer: everything the derivation depends on, and nothing else. */
export function answerHash(question: Question, runnerVersion: string): string {
  const inputs =
    question.kind === "clauses" ? { focusLine: question.focusLine, focusRun: question.focusRun } : undefined;
  return createHash("sha256")
    .update(
      JSON.stringify({
        v: DERIVATION_VERSION,
        runner: runnerVersion,
        kind: question.kind,
        code: question.code.source,
        inputs,
      }),
    )
    .digest("hex");
}

export interface QuizEngine {
  /** Makes the cached answers playable at once, then derives the missing ones (resolving when all are). */
  prepare(): Promise<PrepareReport>;
  /** Answers prepare() is still deriving: 0 once it is done (questions without one cannot be drawn yet). */
  answersPending(): number;
  lessons(): Lesson[];
  lessonByCommand(command: string): Lesson | undefined;
  drawQuestion(input: DrawInput): Promise<string | null>;
  presentQuestion(key: string, seed: string): PresentedQuestion;
  answer(input: AnswerInput): AnswerResult;
  /** Stores an answer; `within` is a transaction of the caller's to join (e.g. closing a group round). */
  recordAnswer(input: RecordInput, within?: Store): Promise<void>;
  progress(memberId: string, guildId: string, options?: ProgressOptions): Promise<MemberProgress>;
  leaderboard(guildId: string, limit?: number): Promise<LeaderboardRow[]>;
}

export function createQuizEngine(options: QuizEngineOptions): QuizEngine {
  const { lessons, runner } = options;
  const clock = options.clock ?? Date.now;
  const runnerVersion = options.runnerVersion ?? "sandbox";
  const store = new QuizStore(options.store);
  const playable = new Map<string, Playable>();
  let prepared = false;
  let pending = 0;

  const allQuestions = lessons.flatMap((l) => l.sections.flatMap((s) => s.questions));

  function mustGet(key: string): Playable {
    if (!prepared) throw new QuizError("call prepare() before asking questions");
    const p = playable.get(key);
    if (!p) throw new QuizError(`no playable question "${key}"`);
    return p;
  }

  function present(key: string, seed: string): { presented: PresentedQuestion; correctIds: string[] } {
    const { question, choices } = mustGet(key);
    let presented: PresentedChoice[];
    let correctIds: string[];
    if (question.kind === "clauses") {
      // The four clauses keep their natural order: it is part of what the lesson teaches.
      presented = choices.map((c) => ({ id: c.key, label: c.text, text: c.text }));
      correctIds = choices.filter((c) => c.correct).map((c) => c.key);
    } else {
      const order = shuffled(choices, seededRandom(`${seed}\u0000${key}`));
      presented = order.map((c, i) => {
        const id = LETTERS[i] ?? String(i + 1);
        const label = question.kind === "whole_output" ? `Output ${id}` : shorten(c.text);
        return { id, label, text: c.text };
      });
      correctIds = order.flatMap((c, i) => (c.correct ? [presented[i]?.id ?? ""] : []));
    }
    return {
      presented: {
        key,
        lessonId: question.lessonId,
        sectionId: question.sectionId,
        kind: question.kind,
        prompt: question.prompt,
        code: question.code.source,
        hint: question.hint,
        choices: presented,
        multi: question.kind === "clauses",
      },
      correctIds,
    };
  }

  return {
    async prepare() {
      const report: PrepareReport = {
        questions: allQuestions.length,
        cached: 0,
        derived: 0,
        unavailable: [],
      };
      const toDerive: { question: Question; hash: string }[] = [];
      const hashes = allQuestions.map((question) => answerHash(question, runnerVersion));
      const cache = await store.getCachedAnswers(hashes);
      for (const [i, question] of allQuestions.entries()) {
        const hash = hashes[i] as string;
        const cached = cache.get(hash);
        if (cached) {
          const flow = cached.flowJson === null ? null : (JSON.parse(cached.flowJson) as FlowReport);
          addPlayable(question, JSON.parse(cached.answerJson) as DerivedAnswer, cached.trace, flow);
          report.cached++;
          // Cached before reports were kept: playable now, run again in the background for its picture.
          if (flow === null) toDerive.push({ question, hash });
        } else {
          toDerive.push({ question, hash });
        }
      }
      // The cached answers are playable now: a bot can serve them while the rest are derived.
      prepared = true;
      pending = toDerive.length;
      // Questions that share a program (the section's example) share one run.
      const runs = new Map<string, Promise<ExplainedRun>>();
      const limit = limiter(PREPARE_CONCURRENCY);
      const runOnce = (code: string) => {
        let run = runs.get(code);
        if (!run) {
          run = limit(() => runner({ code }));
          runs.set(code, run);
        }
        return run;
      };
      const derive = async ({ question, hash }: { question: Question; hash: string }) => {
        let run: ExplainedRun;
        try {
          run = await runOnce(question.code.source);
        } catch (err) {
          report.unavailable.push({
            key: question.key,
            reason: `sandbox error: ${(err as Error).message}`,
          });
          return;
        }
        const derived = deriveAnswer(question, run);
        if (!derived.ok) {
          report.unavailable.push({ key: question.key, reason: derived.reason });
          return;
        }
        const flow = flowReportOf(run);
        await store.putCachedAnswer(
          hash,
          JSON.stringify(derived.answer),
          run.explanation,
          clock(),
          JSON.stringify(flow),
        );
        addPlayable(question, derived.answer, run.explanation, flow);
        report.derived++;
      };
      await Promise.all(toDerive.map((item) => derive(item).finally(() => pending--)));
      return report;
    },

    answersPending: () => pending,

    lessons: () => lessons,
    lessonByCommand: (command) => lessons.find((l) => l.command === command),

    async drawQuestion({ lessonId, sectionId, memberId, guildId, exclude = [], seed }) {
      if (!prepared) throw new QuizError("call prepare() before drawing questions");
      const excluded = new Set(exclude);
      const pool = allQuestions.filter(
        (q) =>
          q.lessonId === lessonId &&
          (sectionId === undefined || q.sectionId === sectionId) &&
          playable.has(q.key) &&
          !excluded.has(q.key),
      );
      if (pool.length === 0) return null;
      const random = seededRandom(seed ?? `${clock()}:${Math.random()}`);
      if (memberId === undefined || guildId === undefined) return pick(pool, random).key;
      const now = clock();
      const rows = new Map((await store.progressRows(guildId, memberId)).map((r) => [r.questionKey, r]));
      // 1. missed or reviewed questions whose time has come, lowest box first; 2. unseen ones, in lesson order;
      // 3. otherwise the one that comes due soonest.
      const due = pool.filter((q) => (rows.get(q.key)?.dueAt ?? Number.POSITIVE_INFINITY) <= now);
      if (due.length > 0) {
        const lowest = Math.min(...due.map((q) => rows.get(q.key)?.box ?? 1));
        return pick(
          due.filter((q) => rows.get(q.key)?.box === lowest),
          random,
        ).key;
      }
      const unseen = pool.find((q) => !rows.has(q.key));
      if (unseen) return unseen.key;
      const soonest = Math.min(...pool.map((q) => rows.get(q.key)?.dueAt ?? 0));
      return pick(
        pool.filter((q) => rows.get(q.key)?.dueAt === soonest),
        random,
      ).key;
    },

    presentQuestion: (key, seed) => present(key, seed).presented,

    answer({ key, seed, choiceIds, hintUsed = false, mode = "solo", elapsedMs, roundMs }) {
      const { correctIds } = present(key, seed);
      const chosen = new Set(choiceIds);
      const correct = chosen.size === correctIds.length && correctIds.every((id) => chosen.has(id));
      const { question, trace, flow } = mustGet(key);
      return {
        correct,
        correctChoiceIds: correctIds,
        explanation: question.explanation,
        trace,
        flow,
        points: scoreAnswer({ correct, hintUsed, mode, elapsedMs, roundMs }),
      };
    },

    async recordAnswer({ guildId, memberId, key, correct, points, hintUsed = false }, within) {
      mustGet(key);
      const now = clock();
      await (within ? new QuizStore(within) : store).recordAttempt({
        guildId,
        memberId,
        questionKey: key,
        correct,
        points,
        hintUsed,
        answeredAt: now,
        leitner: (previous) => nextBox(previous, correct, now),
      });
    },

    async progress(memberId, guildId, { timeZone = "UTC" } = {}) {
      const now = clock();
      const [progressRows, totals, answerTimes, missed] = await Promise.all([
        store.progressRows(guildId, memberId),
        store.totals(guildId, memberId),
        store.answerTimes(guildId, memberId),
        store.missed(guildId, memberId),
      ]);
      const rows = new Map(progressRows.map((r) => [r.questionKey, r]));
      let dueForReview = 0;
      for (const [key, row] of rows)
        if (playable.has(key) && row.box === 1 && row.dueAt <= now) dueForReview++;
      return {
        ...totals,
        dueForReview,
        lessons: lessons.map((lesson) => {
          const keys = lesson.sections
            .flatMap((s) => s.questions.map((q) => q.key))
            .filter((k) => playable.has(k));
          return {
            lessonId: lesson.id,
            title: lesson.title,
            total: keys.length,
            seen: keys.filter((k) => rows.has(k)).length,
            mastered: keys.filter((k) => (rows.get(k)?.box ?? 0) >= MASTERED_BOX).length,
          };
        }),
        streak: streakOf(answerTimes, now, timeZone),
        missed: missed.flatMap((row): MissedQuestion[] => {
          // A question removed from the lessons (or whose answer could not be derived) cannot be practised.
          const p = playable.get(row.questionKey);
          if (!p) return [];
          const { question } = p;
          const lesson = lessons.find((l) => l.id === question.lessonId);
          const section = lesson?.sections.find((s) => s.id === question.sectionId);
          return [
            {
              key: question.key,
              lessonId: question.lessonId,
              lessonTitle: lesson?.title ?? question.lessonId,
              sectionId: question.sectionId,
              sectionTitle: section?.title ?? question.sectionId,
              prompt: oneLine(question.prompt, PROMPT_PREVIEW),
              missedAt: row.missedAt,
              dueAt: row.dueAt,
            },
          ];
        }),
      };
    },

    leaderboard: (guildId, limit = 10) => store.leaderboard(guildId, limit),
  };

  function addPlayable(
    question: Question,
    answer: DerivedAnswer,
    trace: string,
    flow: FlowReport | null,
  ): void {
    playable.set(question.key, { question, answer, trace, flow, choices: buildChoices(question, answer) });
  }
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Whitespace (newlines included) collapsed, then cut to `max` characters with an ellipsis. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function shorten(text: string): string {
  return text.length <= MAX_LABEL ? text : `${text.slice(0, MAX_LABEL - 1)}…`;
}

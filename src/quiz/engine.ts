// The quiz engine: derived answers and misconception-derived wrong answers (cached in the store by content
// hash, ./derivation.ts), drawing with spaced repetition, per-round reproducible choices, checking, scoring,
// and the feedback that names the misconception behind a wrong answer.
import { buildChoices, type Choice, MAX_CHOICES, MAX_LABEL, type WrongAnswer } from "../lessons/choices.js";
import type { DerivedAnswer } from "../lessons/derive.js";
import type { Lesson, Question } from "../lessons/types.js";
import { misconception } from "../misconceptions/catalogue.js";
import { fillLines, misconceptionFeedback, namedRefs } from "../misconceptions/feedback.js";
import type { ProgramShape } from "../misconceptions/variants.js";
import type { FlowReport } from "../picture/types.js";
import type { Store } from "../store/db.js";
import { MisconceptionStore } from "../store/misconceptionStore.js";
import { QuizStore } from "../store/quizStore.js";
import { type ConceptMastery, masteryByConcept, questionConcepts, weakest } from "./concepts.js";
import { type Derived, deriveAll } from "./derivation.js";
import { MASTERED_BOX, nextBox } from "./leitner.js";
import { scoreAnswer } from "./scoring.js";
import { seededRandom, shuffled } from "./shuffle.js";
import { streakOf } from "./streak.js";
import type {
  AnswerInput,
  AnswerResult,
  ChoicePool,
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

export { answerHash, wrongHash } from "./derivation.js";

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
  /** Every choice the question can offer, right answer first; a round offers `question.choices` of them. */
  choices: Choice[];
  /** Clause questions: the wrong sets of clauses that misconceptions predict, for the feedback. */
  wrongSets: WrongAnswer[];
  shape: ProgramShape | null;
  /** What the question tests (./concepts.ts). */
  concepts: string[];
}

const LETTERS = "ABCDE";
const CLAUSE_ORDER: readonly string[] = ["try", "except", "else", "finally"];
/** How long a prompt may be in the list of missed questions. */
export const PROMPT_PREVIEW = 80;

export interface QuizEngine {
  /** Makes the cached answers playable at once, then derives the missing ones (resolving when all are). */
  prepare(): Promise<PrepareReport>;
  /** Answers prepare() is still deriving: 0 once it is done (questions without one cannot be drawn yet). */
  answersPending(): number;
  lessons(): Lesson[];
  lessonByCommand(command: string): Lesson | undefined;
  drawQuestion(input: DrawInput): Promise<string | null>;
  presentQuestion(key: string, seed: string): PresentedQuestion;
  /** Every choice a question can offer with the misconceptions behind each (previews, `lessons show`). */
  choicePool(key: string): ChoicePool;
  answer(input: AnswerInput): AnswerResult;
  /** Stores an answer; `within` is a transaction of the caller's to join (e.g. closing a group round). */
  recordAnswer(input: RecordInput, within?: Store): Promise<void>;
  progress(memberId: string, guildId: string, options?: ProgressOptions): Promise<MemberProgress>;
  leaderboard(guildId: string, limit?: number): Promise<LeaderboardRow[]>;
  /**
   * Makes a question of a server's own (src/serverQuestions) playable, already derived. With `drawn`, quizzes
   * of that server draw it (source "server" or "mixed"); without, it is only played when asked for by key.
   */
  addQuestion(question: Question, derived: Derived, owner: { guildId: string; drawn: boolean }): void;
  removeQuestion(key: string): void;
  /** The concept of a lesson answered worst: by one member, or (without memberId) by the whole server. */
  weakestConcept(guildId: string, lessonId: string, memberId?: string): Promise<ConceptMastery | null>;
}

export function createQuizEngine(options: QuizEngineOptions): QuizEngine {
  const { lessons, runner } = options;
  const clock = options.clock ?? Date.now;
  const runnerVersion = options.runnerVersion ?? "sandbox";
  const store = new QuizStore(options.store);
  const shownStore = new MisconceptionStore(options.store);
  const playable = new Map<string, Playable>();
  let prepared = false;
  let pending = 0;

  const allQuestions = lessons.flatMap((l) => l.sections.flatMap((s) => s.questions));
  const questionByKey = new Map(allQuestions.map((q) => [q.key, q]));
  /** Questions of servers' own, by key: the server and whether its quizzes draw it. */
  const owned = new Map<string, { question: Question; guildId: string; drawn: boolean }>();

  function makePlayable(question: Question, d: Derived): void {
    const clauses = question.kind === "clauses";
    const choices = buildChoices(question, d.answer, clauses ? [] : d.wrong);
    const wrongSets = clauses ? d.wrong : [];
    playable.set(question.key, {
      question,
      answer: d.answer,
      trace: d.trace,
      flow: d.flow,
      choices,
      wrongSets,
      shape: d.shape,
      concepts: questionConcepts(question, choices, wrongSets),
    });
  }

  function mustGet(key: string): Playable {
    if (!prepared) throw new QuizError("call prepare() before asking questions");
    const p = playable.get(key);
    if (!p) throw new QuizError(`no playable question "${key}"`);
    return p;
  }

  /** The choices of one round: the right one and `question.choices - 1` wrong ones, drawn by the seed. */
  function offered(p: Playable, key: string, seed: string): Choice[] {
    const [right, ...wrong] = p.choices;
    const room = Math.min(MAX_CHOICES, p.question.choices) - 1;
    if (!right || wrong.length <= room) return p.choices;
    return [right, ...shuffled(wrong, seededRandom(`${seed}\u0001${key}`)).slice(0, room)];
  }

  function present(
    key: string,
    seed: string,
  ): { presented: PresentedQuestion; correctIds: string[]; shown: Choice[] } {
    const p = mustGet(key);
    const { question } = p;
    let presented: PresentedChoice[];
    let correctIds: string[];
    let shown: Choice[];
    if (question.kind === "clauses") {
      // The four clauses keep their natural order: it is part of what the lesson teaches.
      shown = p.choices;
      presented = shown.map((c) => ({ id: c.key, label: c.text, text: c.text }));
      correctIds = shown.filter((c) => c.correct).map((c) => c.key);
    } else {
      shown = shuffled(offered(p, key, seed), seededRandom(`${seed}\u0000${key}`));
      presented = shown.map((c, i) => {
        const id = LETTERS[i] ?? String(i + 1);
        const label = question.kind === "whole_output" ? `Output ${id}` : shorten(c.text);
        return { id, label, text: c.text };
      });
      correctIds = shown.flatMap((c, i) => (c.correct ? [presented[i]?.id ?? ""] : []));
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
      shown,
    };
  }

  /** The misconceptions behind a wrong answer, and the feedback that names them. */
  function diagnose(
    p: Playable,
    presented: PresentedQuestion,
    shown: Choice[],
    choiceIds: string[],
  ): { feedback: string | null; misconceptions: string[] } {
    let chosen: string;
    let refs: Choice["misconceptions"];
    if (p.question.kind === "clauses") {
      const picked = CLAUSE_ORDER.filter((c) => choiceIds.includes(c));
      chosen = picked.join(", ");
      refs = p.wrongSets.find((w) => w.key === picked.join("+"))?.misconceptions ?? [];
    } else {
      const [id] = choiceIds;
      const index = presented.choices.findIndex((c) => c.id === id);
      chosen = id ?? "";
      refs = shown[index]?.misconceptions ?? [];
    }
    const lesson = lessons.find((l) => l.id === p.question.lessonId);
    const feedback = misconceptionFeedback({
      kind: p.question.kind,
      chosen: p.question.kind === "clauses" ? `“${chosen}”` : chosen,
      refs,
      own: lesson?.misconceptions ?? [],
      shape: p.shape,
    });
    // What the member is told is what their record keeps.
    return { feedback, misconceptions: namedRefs(refs, lesson?.misconceptions).map((r) => r.id) };
  }

  return {
    async prepare() {
      const outcome = await deriveAll(allQuestions, runner, store, runnerVersion, clock, {
        ready(key, d) {
          makePlayable(questionByKey.get(key) as Question, d);
        },
        deriving(count) {
          // The cached answers are playable now: a bot can serve them while the rest are derived.
          prepared = true;
          pending = count;
        },
        done() {
          pending--;
        },
      });
      return {
        questions: allQuestions.length,
        cached: outcome.cached,
        derived: outcome.fresh,
        unavailable: outcome.unavailable,
        withoutMisconceptions: outcome.withoutMisconceptions,
      };
    },

    answersPending: () => pending,

    lessons: () => lessons,
    lessonByCommand: (command) => lessons.find((l) => l.command === command),

    async drawQuestion({
      lessonId,
      sectionId,
      concept,
      memberId,
      guildId,
      exclude = [],
      seed,
      source = "lessons",
    }) {
      if (!prepared) throw new QuizError("call prepare() before drawing questions");
      const excluded = new Set(exclude);
      // A server's own questions are drawn only in that server, and only when asked for (or mixed in).
      const own = [...owned.values()]
        .filter((o) => o.drawn && o.guildId === guildId && source !== "lessons")
        .map((o) => o.question);
      const candidates = source === "server" ? own : [...allQuestions, ...own];
      const pool = candidates.filter(
        (q) =>
          q.lessonId === lessonId &&
          (sectionId === undefined || q.sectionId === sectionId) &&
          playable.has(q.key) &&
          (concept === undefined || playable.get(q.key)?.concepts.includes(concept)) &&
          !excluded.has(q.key),
      );
      if (pool.length === 0) return null;
      const random = seededRandom(seed ?? `${clock()}:${Math.random()}`);
      if (memberId === undefined || guildId === undefined) return pick(pool, random).key;
      const now = clock();
      const progressRows = await store.progressRows(guildId, memberId);
      const rows = new Map(progressRows.map((r) => [r.questionKey, r]));
      // Review favours the member's weak concepts: a question weighs the mean mastery of its concepts.
      const mastery = new Map(
        masteryByConcept(
          progressRows.map((r) => ({ questionKey: r.questionKey, right: r.rightCount, wrong: r.wrongCount })),
          (key) => playable.get(key)?.concepts,
        ).map((m) => [m.concept, m.mastery]),
      );
      const weakness = (q: Question) => {
        const concepts = playable.get(q.key)?.concepts ?? [];
        return concepts.reduce((sum, c) => sum + (mastery.get(c) ?? 1), 0) / Math.max(1, concepts.length);
      };
      const weakestOf = (qs: Question[]) => {
        const least = Math.min(...qs.map(weakness));
        return qs.filter((q) => weakness(q) === least);
      };
      // 1. missed or reviewed questions whose time has come, lowest box first, weakest concept first;
      // 2. unseen ones, in lesson order; 3. otherwise, of the weakest concept, the one that comes due soonest.
      const due = pool.filter((q) => (rows.get(q.key)?.dueAt ?? Number.POSITIVE_INFINITY) <= now);
      if (due.length > 0) {
        const lowest = Math.min(...due.map((q) => rows.get(q.key)?.box ?? 1));
        return pick(weakestOf(due.filter((q) => rows.get(q.key)?.box === lowest)), random).key;
      }
      const unseen = pool.find((q) => !rows.has(q.key));
      if (unseen) return unseen.key;
      const weak = weakestOf(pool);
      const soonest = Math.min(...weak.map((q) => rows.get(q.key)?.dueAt ?? 0));
      return pick(
        weak.filter((q) => rows.get(q.key)?.dueAt === soonest),
        random,
      ).key;
    },

    presentQuestion: (key, seed) => present(key, seed).presented,

    choicePool(key) {
      const p = mustGet(key);
      const lesson = lessons.find((l) => l.id === p.question.lessonId);
      return {
        kind: p.question.kind,
        choices: p.choices,
        wrongSets: p.wrongSets,
        offered:
          p.question.kind === "clauses" ? 4 : Math.min(MAX_CHOICES, p.question.choices, p.choices.length),
        own: lesson?.misconceptions ?? [],
        concepts: p.concepts,
      };
    },

    answer({ key, seed, choiceIds, hintUsed = false, mode = "solo", elapsedMs, roundMs }) {
      const { presented, correctIds, shown } = present(key, seed);
      const chosen = new Set(choiceIds);
      const correct = chosen.size === correctIds.length && correctIds.every((id) => chosen.has(id));
      const p = mustGet(key);
      const diagnosis = correct
        ? { feedback: null, misconceptions: [] }
        : diagnose(p, presented, shown, choiceIds);
      return {
        correct,
        correctChoiceIds: correctIds,
        explanation: p.question.explanation,
        trace: p.trace,
        flow: p.flow,
        points: scoreAnswer({ correct, hintUsed, mode, elapsedMs, roundMs }),
        ...diagnosis,
      };
    },

    async recordAnswer(
      { guildId, memberId, key, correct, points, hintUsed = false, misconceptions = [] },
      within,
    ) {
      mustGet(key);
      const now = clock();
      const attempt = {
        guildId,
        memberId,
        questionKey: key,
        correct,
        points,
        hintUsed,
        answeredAt: now,
        leitner: (previous: Parameters<typeof nextBox>[0]) => nextBox(previous, correct, now),
      };
      // The attempt and the misconceptions it showed, together or not at all.
      const write = async (tx: Store) => {
        await new QuizStore(tx).recordAttempt(attempt);
        if (!correct)
          await new MisconceptionStore(tx).recordShown(guildId, memberId, key, misconceptions, now);
      };
      await (within ? write(within) : options.store.transaction(write));
    },

    async progress(memberId, guildId, { timeZone = "UTC" } = {}) {
      const now = clock();
      const [progressRows, totals, answerTimes, missed, shown] = await Promise.all([
        store.progressRows(guildId, memberId),
        store.totals(guildId, memberId),
        store.answerTimes(guildId, memberId),
        store.missed(guildId, memberId),
        shownStore.shown(guildId, memberId, 2),
      ]);
      const rows = new Map(progressRows.map((r) => [r.questionKey, r]));
      const tallies = [...rows.values()].map((r) => ({
        questionKey: r.questionKey,
        right: r.rightCount,
        wrong: r.wrongCount,
      }));
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
        concepts: masteryByConcept(tallies, (key) => playable.get(key)?.concepts),
        misconceptions: shown.map((row) => {
          const known = misconception(row.misconceptionId);
          const own = lessons.flatMap((l) => l.misconceptions).find((m) => m.id === row.misconceptionId);
          return {
            id: row.misconceptionId,
            times: row.times,
            lastShownAt: row.lastShownAt,
            belief: known?.belief ?? own?.belief ?? row.misconceptionId,
            correction: known ? fillLines(known.correction, {}) : (own?.correction ?? ""),
          };
        }),
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

    addQuestion(question, derived, { guildId, drawn }) {
      owned.set(question.key, { question, guildId, drawn });
      makePlayable(question, derived);
    },

    removeQuestion(key) {
      owned.delete(key);
      playable.delete(key);
    },

    async weakestConcept(guildId, lessonId, memberId) {
      const tallies =
        memberId === undefined
          ? await shownStore.serverTallies(guildId)
          : (await store.progressRows(guildId, memberId)).map((r) => ({
              questionKey: r.questionKey,
              right: r.rightCount,
              wrong: r.wrongCount,
            }));
      const inLesson = tallies.filter((t) => playable.get(t.questionKey)?.question.lessonId === lessonId);
      return weakest(masteryByConcept(inLesson, (key) => playable.get(key)?.concepts));
    },
  };
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

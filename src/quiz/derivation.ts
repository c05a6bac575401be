// Everything a question needs before it can be played, derived once and cached in the store by content
// hash: the right answer (from the real run) and the wrong answers its misconceptions give (from one
// sandbox run of the misconception rules). Both caches survive restarts, so a bot start with nothing new
// runs no code at all.
import { createHash } from "node:crypto";
import type { WrongAnswer } from "../lessons/choices.js";
import { DERIVATION_VERSION, type DerivedAnswer, deriveAnswer } from "../lessons/derive.js";
import { limiter } from "../lessons/limit.js";
import type { CodeRunner, Question } from "../lessons/types.js";
import { deriveWrongAnswers } from "../lessons/wrongAnswers.js";
import {
  type ProgramShape,
  RULES_VERSION,
  runVariants,
  type VariantReport,
} from "../misconceptions/variants.js";
import { type FlowReport, flowReportOf } from "../picture/types.js";
import type { ExplainedRun } from "../runs/index.js";
import type { QuizStore } from "../store/quizStore.js";

/** How many sandbox runs prepare() keeps in flight: the sandbox queue is shared with members' /run. */
const PREPARE_CONCURRENCY = 2;

export interface Derived {
  answer: DerivedAnswer;
  trace: string;
  /** The run's clause report, for the picture of its flow (null: cached before reports were kept). */
  flow: FlowReport | null;
  /** Wrong answers from misconceptions (for clause questions: the clause sets they predict). */
  wrong: WrongAnswer[];
  /** The program's try/with statements, where feedback points when a rule did not say. */
  shape: ProgramShape | null;
}

/** What the misconception cache holds per question. */
interface CachedWrong {
  wrong: WrongAnswer[];
  shape: ProgramShape;
}

function questionInputs(question: Question) {
  return question.kind === "clauses"
    ? { focusLine: question.focusLine, focusRun: question.focusRun }
    : undefined;
}

/** The cache key of a derived answer: everything the derivation depends on, and nothing else. */
export function answerHash(question: Question, runnerVersion: string): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        v: DERIVATION_VERSION,
        runner: runnerVersion,
        kind: question.kind,
        code: question.code.source,
        inputs: questionInputs(question),
      }),
    )
    .digest("hex");
}

/** The cache key of a question's misconception-derived wrong answers (the rules' version included). */
export function wrongHash(question: Question, runnerVersion: string): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        what: "misconceptions",
        v: DERIVATION_VERSION,
        rules: RULES_VERSION,
        runner: runnerVersion,
        kind: question.kind,
        code: question.code.source,
        inputs: questionInputs(question),
      }),
    )
    .digest("hex");
}

export interface DeriveOutcome {
  cached: number;
  fresh: number;
  unavailable: { key: string; reason: string }[];
  /** Questions playable, but whose misconception rules could not run this time (retried next start). */
  withoutMisconceptions: { key: string; reason: string }[];
}

export interface DeriveHooks {
  /** Called once per question as soon as it is playable: the cached ones synchronously, first. */
  ready(key: string, derived: Derived): void;
  /** Called (synchronously, after the cached ones) with how many questions still need a sandbox run. */
  deriving(count: number): void;
  /** Called when one of those is done, playable or not. */
  done(key: string): void;
}

/** Reads every question's answer and wrong answers from the cache, and derives the missing ones. */
export async function deriveAll(
  questions: Question[],
  runner: CodeRunner,
  store: QuizStore,
  runnerVersion: string,
  now: () => number,
  hooks: DeriveHooks,
): Promise<DeriveOutcome> {
  const out: DeriveOutcome = { cached: 0, fresh: 0, unavailable: [], withoutMisconceptions: [] };
  const missing: Question[] = [];
  // Every cached answer and wrong answer in one query (one round trip on PostgreSQL).
  const aHashes = questions.map((q) => answerHash(q, runnerVersion));
  const wHashes = questions.map((q) => wrongHash(q, runnerVersion));
  const cache = await store.getCachedAnswers([...aHashes, ...wHashes]);
  for (const [i, question] of questions.entries()) {
    const cachedAnswer = cache.get(aHashes[i] as string);
    const cachedWrong = cache.get(wHashes[i] as string);
    if (!cachedAnswer || !cachedWrong) {
      missing.push(question);
      continue;
    }
    const { wrong, shape } = JSON.parse(cachedWrong.answerJson) as CachedWrong;
    const answer = JSON.parse(cachedAnswer.answerJson) as DerivedAnswer;
    const flow = cachedAnswer.flowJson === null ? null : (JSON.parse(cachedAnswer.flowJson) as FlowReport);
    hooks.ready(question.key, { answer, trace: cachedAnswer.trace, flow, wrong, shape });
    out.cached++;
    // Cached before run reports were kept: playable now, run again in the background for its picture.
    if (flow === null) missing.push(question);
  }
  hooks.deriving(missing.length);

  const limit = limiter(PREPARE_CONCURRENCY);
  // Questions that share a program (the section's example) share its runs.
  const once = <T>(cache: Map<string, Promise<T>>, code: string, make: () => Promise<T>) => {
    let p = cache.get(code);
    if (!p) {
      p = limit(make);
      cache.set(code, p);
    }
    return p;
  };
  const truths = new Map<string, Promise<ExplainedRun>>();
  const reports = new Map<string, Promise<VariantReport>>();

  const derive = async (question: Question): Promise<void> => {
    const code = question.code.source;
    let truth: ExplainedRun;
    try {
      truth = await once(truths, code, () => runner({ code }));
    } catch (err) {
      out.unavailable.push({ key: question.key, reason: `sandbox error: ${(err as Error).message}` });
      return;
    }
    const derivation = deriveAnswer(question, truth);
    if (!derivation.ok) {
      out.unavailable.push({ key: question.key, reason: derivation.reason });
      return;
    }
    const flow = flowReportOf(truth);
    await store.putCachedAnswer(
      answerHash(question, runnerVersion),
      JSON.stringify(derivation.answer),
      truth.explanation,
      now(),
      JSON.stringify(flow),
    );
    const entry: Derived = {
      answer: derivation.answer,
      trace: truth.explanation,
      flow,
      wrong: [],
      shape: null,
    };
    try {
      const report = await once(reports, code, () => runVariants(code, runner));
      entry.wrong = deriveWrongAnswers(question, truth, derivation.answer, report);
      entry.shape = report.shape;
      const cached: CachedWrong = { wrong: entry.wrong, shape: report.shape };
      await store.putCachedAnswer(wrongHash(question, runnerVersion), JSON.stringify(cached), "", now());
    } catch (err) {
      out.withoutMisconceptions.push({ key: question.key, reason: (err as Error).message });
    }
    hooks.ready(question.key, entry);
    out.fresh++;
  };
  await Promise.all(missing.map((q) => derive(q).finally(() => hooks.done(q.key))));
  return out;
}

// The quiz engine: draws questions, shuffles choices per round, checks and scores answers,
// keeps per-member progress with spaced repetition. It knows nothing of Discord.
//
// EXPORTED API (for the Discord bot):
//   const lessons = await loadLessons("lessons")                       // from src/lessons
//   const engine = createQuizEngine({ store, lessons, runner, clock?, runnerVersion? })
//        store = await openStore({ url?, path }) (src/store: SQLite or PostgreSQL); runner = (req) => sandbox.run(req) (src/sandbox) or openSandboxRunner().run
//   await engine.prepare(): PrepareReport   derive every answer once (cached in the store by content hash; runs only new/changed code)
//   engine.lessons(): Lesson[]              sorted by order;  engine.lessonByCommand("finally"): Lesson | undefined
//   await engine.drawQuestion({ lessonId, sectionId?, memberId?, guildId?, exclude?, seed? }): string | null   -> a question key
//   engine.presentQuestion(key, seed): PresentedQuestion
//        { key, lessonId, sectionId, kind, prompt, code, hint, multi, choices: [{ id, label (<=80), text }] }
//        the same seed gives the same order and ids; use one seed per round (e.g. the interaction id)
//   engine.answer({ key, seed, choiceIds, hintUsed?, mode?: "solo"|"group", elapsedMs?, roundMs? }): AnswerResult
//        { correct, correctChoiceIds, explanation, trace, points }   (pure: stores nothing)
//   await engine.recordAnswer({ guildId, memberId, key, correct, points, hintUsed? })   progress + Leitner box, one transaction
//   await engine.progress(memberId, guildId, { timeZone? }): MemberProgress
//        { answered, correct, points, dueForReview, lessons[], streak: { current, best, activeToday, timeZone },
//          missed: [{ key, lessonId, lessonTitle, sectionId, sectionTitle, prompt (<=80, one line), missedAt, dueAt }] }
//        streak = consecutive calendar days (in timeZone, default UTC) with an answer, ending today or yesterday;
//        missed = latest answer wrong, most recently missed first
//   streakOf(answeredAt[], now, timeZone?): Streak   the pure streak rule (./streak.ts)
//   await engine.leaderboard(guildId, limit = 10): LeaderboardRow[] { memberId, points, correct, answered }
//   scoreAnswer({ correct, hintUsed, mode, elapsedMs, roundMs }): number   pure scoring (./scoring.ts)
//   plainQuestionText(presented) / plainResultText(presented, result): the question as plain text (CLI preview, logs)
// Errors: QuizError (unknown question key, prepare() not called) with a message fit for a log, not a member.

export { answerHash, createQuizEngine, PROMPT_PREVIEW, type QuizEngine, QuizError } from "./engine.js";
export { BOX_INTERVAL_MS, BOXES, MASTERED_BOX, nextBox } from "./leitner.js";
export { SCORING, type ScoreInput, scoreAnswer } from "./scoring.js";
export { seededRandom, shuffled } from "./shuffle.js";
export { dayNumber, streakOf } from "./streak.js";
export { plainQuestionText, plainResultText } from "./text.js";
export * from "./types.js";

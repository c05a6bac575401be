// The part of the quiz engine (src/quiz) the bot uses, by shape, so the bot can be wired and tested with the
// engine the program builds at start-up (see ./start.ts).
import type { Lesson } from "../lessons/types.js";
import type {
  AnswerInput,
  AnswerResult,
  DrawInput,
  LeaderboardRow,
  MemberProgress,
  PresentedQuestion,
  ProgressOptions,
  RecordInput,
} from "../quiz/types.js";

export interface QuizContent {
  lessons(): Lesson[];
  lessonByCommand(command: string): Lesson | undefined;
  drawQuestion(input: DrawInput): string | null;
  presentQuestion(key: string, seed: string): PresentedQuestion;
  answer(input: AnswerInput): AnswerResult;
  recordAnswer(input: RecordInput): void;
  progress(memberId: string, guildId: string, options?: ProgressOptions): MemberProgress;
  leaderboard(guildId: string, limit?: number): LeaderboardRow[];
}

export function lessonById(content: QuizContent, id: string): Lesson | undefined {
  return content.lessons().find((l) => l.id === id);
}

// The part of the quiz engine (src/quiz) the bot uses: everything but the start-up derivation, which
// src/main.ts runs before the bot connects.
import type { Lesson } from "../lessons/types.js";
import type { QuizEngine } from "../quiz/engine.js";

export type QuizContent = Omit<QuizEngine, "prepare">;

export function lessonById(content: QuizContent, id: string): Lesson | undefined {
  return content.lessons().find((l) => l.id === id);
}

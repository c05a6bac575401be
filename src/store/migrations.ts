// Numbered, append-only schema changes. Never edit a migration that has shipped: add a new one.
import { quizMigrations } from "./quizMigrations.js";

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  // 100-199: the quiz engine.
  ...quizMigrations,
];

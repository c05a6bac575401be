// Every command and every button/modal handler the bot has, in one list (the bot and the deploy script use it).
import { groupAnswerButton, groupAnswerSelect } from "../src/bot/groupRounds.js";
import {
  showMeButton,
  soloAnswerButton,
  soloAnswerSelect,
  soloHintButton,
  soloNextButton,
  soloSkipButton,
} from "../src/bot/quizFlow.js";
import { readPageButton, readQuizButton } from "../src/bot/readFlow.js";
import { runButtons, runModalSubmit } from "../src/bot/runFlow.js";
import type { BotCommand, ComponentHandler } from "../src/bot/types.js";
import type { Lesson } from "../src/lessons/types.js";
import { configCommand } from "./config.js";
import { leaderboardCommand } from "./leaderboard.js";
import { lessonCommand } from "./lesson.js";
import { progressCommand } from "./progress.js";
import { runCommand } from "./run.js";
import { runPythonCommand } from "./run-python.js";

export function buildCommands(lessons: Lesson[]): BotCommand[] {
  return [
    ...lessons.map(lessonCommand),
    runCommand,
    runPythonCommand,
    configCommand,
    progressCommand,
    leaderboardCommand,
  ];
}

export const componentHandlers: ComponentHandler[] = [
  soloAnswerButton,
  soloAnswerSelect,
  soloHintButton,
  soloNextButton,
  soloSkipButton,
  showMeButton,
  groupAnswerButton,
  groupAnswerSelect,
  readPageButton,
  readQuizButton,
  runButtons,
  runModalSubmit,
];

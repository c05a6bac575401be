// What a member reads when the run queue cannot give a result: each case named plainly, with what to do.
import { START_WITHIN_MS } from "./redis.js";

export const QUEUE_DOWN =
  "Code cannot run right now: the run queue is not reachable. Quizzes still work, and runs come back by themselves once it is; please try again in a minute.";
export const NO_WORKERS =
  "No code runner is connected right now, so the code was not run. Please try again later (the operator starts runners with `npx tutor worker`).";
export const RUNNER_STOPPED =
  "The runner stopped while running this code, so there is no result; press Re-run.";
export const QUEUE_LOST =
  "The run queue lost this run (it restarted or stopped answering), so there is no result; press Re-run.";
export const NOT_STARTED = `No runner could start this code within ${START_WITHIN_MS / 60_000} minutes, so it was not run. Please try again later.`;
export const SHUTTING_DOWN = "The bot is shutting down; try again in a moment.";
export const OWNER_FULL =
  "You already have runs waiting in the queue; this one was not added. Try again when they have finished.";
export const globalFull = (max: number): string =>
  `Too many runs are waiting right now (${max} in the queue). Please try again in a minute.`;

// What commands and component handlers see: the bot's services, and the shapes of commands and handlers.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from "discord.js";
import type { BotConfig } from "../config.js";
import type { Logger } from "../logger.js";
import type { RunRequest, RunResult } from "../sandbox/types.js";
import type { Db } from "../store/db.js";
import type { RoundsStore } from "../store/rounds.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { SettingsStore } from "../store/settings.js";
import type { CooldownGate } from "./cooldown.js";
import type { GroupRounds } from "./groupRounds.js";
import type { QuizContent } from "./quizContent.js";
import type { RunRecords } from "./runRecords.js";

/** Time as the bot sees it; tests move it by hand (the daily post, round ends). */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** Runs member code in the sandbox (src/sandbox); injected so the bot never spawns anything itself. */
export type RunCode = (req: RunRequest) => Promise<RunResult>;

export interface BotServices {
  config: BotConfig;
  db: Db;
  logger: Logger;
  clock: Clock;
  runCode: RunCode;
  content: QuizContent;
  settings: SettingsStore;
  rounds: RoundsStore;
  schedule: ScheduleStore;
  runs: RunRecords;
  cooldowns: CooldownGate;
  /** Group rounds in progress (timers). */
  groupRounds: GroupRounds;
}

export type CommandInteraction = ChatInputCommandInteraction | MessageContextMenuCommandInteraction;

export interface BotCommand {
  data: RESTPostAPIApplicationCommandsJSONBody;
  execute(ix: CommandInteraction, bot: BotServices): Promise<void>;
  autocomplete?(ix: AutocompleteInteraction, bot: BotServices): Promise<void>;
}

/** Buttons, select menus and modals: routed by the first segment of their custom_id ("kind:arg:arg"). */
export interface ComponentHandler {
  kind: string;
  handle(
    ix: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction,
    args: string[],
    bot: BotServices,
  ): Promise<void>;
}

/** A button or modal that no longer matches anything (old round, deleted run, a restart): said plainly. */
export class StaleComponentError extends Error {
  override name = "StaleComponentError";
}

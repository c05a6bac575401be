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
import type { Lesson } from "../lessons/types.js";
import type { Logger } from "../logger.js";
import type { PictureRenderer } from "../picture/offThread.js";
import type { ExplainedRun } from "../runs/index.js";
import type { SandboxStatus } from "../sandbox/doctorWatch.js";
import type { RunRequest } from "../sandbox/types.js";
import type { Store } from "../store/db.js";
import type { RoundsStore } from "../store/rounds.js";
import type { RunRecords } from "../store/runRecords.js";
import type { ScheduleStore } from "../store/schedule.js";
import type { ServerQuestionStore } from "../store/serverQuestionStore.js";
import type { SettingsStore } from "../store/settings.js";
import type { Clock } from "./clock.js";
import type { CooldownGate } from "./cooldown.js";
import type { QuestionPictures } from "./questionPictures.js";
import type { QuizContent } from "./quizContent.js";

export { type Clock, systemClock } from "./clock.js";

/** Runs member code in the sandbox and explains the run (src/runs); injected so the bot never spawns anything itself. */
export type RunCode = (req: RunRequest) => Promise<ExplainedRun>;

export interface BotServices {
  config: BotConfig;
  store: Store;
  logger: Logger;
  clock: Clock;
  runCode: RunCode;
  content: QuizContent;
  settings: SettingsStore;
  rounds: RoundsStore;
  schedule: ScheduleStore;
  /** Questions a server made from its own code, and who may make them. */
  serverQuestions: ServerQuestionStore;
  runs: RunRecords;
  /** Draws pictures off the event loop. */
  pictures: PictureRenderer;
  /** The questions' pictures, drawn once per process. */
  questionPictures: QuestionPictures;
  cooldowns: CooldownGate;
  /** Group rounds in progress (timers). */
  groupRounds: GroupRoundService;
  /** The sandbox's current verdict, for moderators (`/config show`). */
  sandboxStatus: () => SandboxStatus;
}

/** Which questions a quiz draws: the lessons' (default), the server's own (`/quiz create`), or both. */
export type QuizSource = "lessons" | "server" | "mixed";

/** How a quiz draws: on the weakest concept (`focus`), and from which questions (`source`). */
export interface DrawOptions {
  weakest?: boolean;
  source?: QuizSource;
}

/** What commands and the daily post ask of group rounds (src/bot/groupRounds.ts implements it). Declared
 *  here, so the rounds depend on these types and not the other way round. */
export interface GroupRoundService {
  /** `/<lesson> quiz mode:group`: the round is the public reply to the command; with `weakest`, on the
   *  concept the server answers worst. */
  startFromCommand(
    ix: ChatInputCommandInteraction,
    lesson: Lesson,
    sectionId: string | null,
    draw?: DrawOptions,
  ): Promise<void>;
  /** A round posted by the bot itself (the daily quiz, drawn from `source`; or `key`: a question a moderator
   *  just made); its id, or null when no question is ready. */
  startInChannel(
    guildId: string,
    channelId: string,
    lesson: Lesson,
    header: string,
    draw?: { key?: string; source?: QuizSource },
  ): Promise<number | null>;
  /** Why a group round may not start in this channel now (an open round, not a lesson channel), or null. */
  refusal(guildId: string, channelId: string): Promise<string | null>;
  /** A member's answer: stored at once, answered with an ephemeral "locked in". */
  answer(
    ix: ButtonInteraction | StringSelectMenuInteraction,
    roundId: number,
    choiceIds: string[],
  ): Promise<void>;
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

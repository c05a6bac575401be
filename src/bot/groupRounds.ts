// Group rounds: a public question, everyone answers within the round length (ephemeral "locked in", one
// change allowed), then the message is edited to reveal the answer, the share per choice, who was right,
// who was fastest and the explanation (groupReveal.ts renders it). Rounds live in the store; after a restart
// an open round is resumed (time left) or closed with a note (time up).
import type { REST } from "@discordjs/rest";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  Routes,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { Lesson } from "../lessons/types.js";
import type { Logger } from "../logger.js";
import { QuizError } from "../quiz/engine.js";
import type { PresentedQuestion } from "../quiz/types.js";
import type { Store } from "../store/db.js";
import { type GroupRound, type RoundAnswer, RoundsStore } from "../store/rounds.js";
import type { SettingsStore } from "../store/settings.js";
import type { Clock } from "./clock.js";
import { componentHandler } from "./customId.js";
import { NO_MENTIONS } from "./discordLimits.js";
import { type RightAnswer, revealText } from "./groupReveal.js";
import type { QuizContent } from "./quizContent.js";
import { noQuestion, noServerQuestion, noWeakConcept } from "./quizFlow.js";
import { answerRows, questionMessageText } from "./quizView.js";
import { type DrawOptions, type GroupRoundService, type QuizSource, StaleComponentError } from "./types.js";

/** Everything a group round needs, given when the bot is wired (src/bot/start.ts). */
export interface GroupRoundsDeps {
  /** Posts and edits the round messages (the daily post has no interaction to answer). */
  rest: REST;
  /** For the one transaction that closes a round and records its scores. */
  store: Store;
  rounds: RoundsStore;
  settings: SettingsStore;
  content: QuizContent;
  clock: Clock;
  logger: Logger;
  /** Round length for a server that has not set its own (GROUP_ROUND_SECONDS). */
  defaultRoundSeconds: number;
}

/** A round that could not be closed (the database unreachable, say) is tried again after this long. */
export const CLOSE_RETRY_MS = 5000;

/** What the quiz engine says of a closed round: the right choices, the explanation, who was right. */
interface RoundScore {
  correctChoiceIds: string[];
  explanation: string;
  right: RightAnswer[];
}

export class GroupRounds implements GroupRoundService {
  private timers = new Map<number, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly d: GroupRoundsDeps) {}

  async roundMs(guildId: string): Promise<number> {
    const { roundSeconds } = await this.d.settings.get(guildId);
    return (roundSeconds ?? this.d.defaultRoundSeconds) * 1000;
  }

  private async prepare(
    guildId: string,
    channelId: string,
    lesson: Lesson,
    sectionId: string | null,
    seed: string,
    draw: { concept?: string; key?: string; source?: QuizSource } = {},
  ) {
    const key =
      draw.key ??
      (await this.d.content.drawQuestion({
        lessonId: lesson.id,
        ...(sectionId ? { sectionId } : {}),
        ...(draw.concept ? { concept: draw.concept } : {}),
        ...(draw.source ? { source: draw.source } : {}),
        guildId,
        seed,
      }));
    if (!key) return null;
    const q = this.d.content.presentQuestion(key, seed);
    const startedAt = this.d.clock.now();
    const endsAt = startedAt + (await this.roundMs(guildId));
    const id = await this.d.rounds.create({ guildId, channelId, questionKey: key, seed, startedAt, endsAt });
    return { id, q, endsAt };
  }

  private roundMessage(id: number, lesson: Lesson, q: PresentedQuestion, endsAt: number, header: string) {
    const title = `${header}👥 **Group round** · /${lesson.command} · ends <t:${Math.ceil(endsAt / 1000)}:R>`;
    return {
      content: questionMessageText(
        q,
        title,
        "-# Everyone answers privately; the answer is revealed when the time is up.",
      ),
      components: answerRows(q, (choice) => groupAnswerButton.id(id, choice), groupAnswerSelect.id(id)).map(
        (r) => r.toJSON(),
      ),
      allowed_mentions: NO_MENTIONS,
    };
  }

  /** `/<lesson> quiz mode:group`: the round is the public reply to the command; with `weakest`, on the
   *  concept the server answers worst. */
  async startFromCommand(
    ix: ChatInputCommandInteraction,
    lesson: Lesson,
    sectionId: string | null,
    { weakest = false, source }: DrawOptions = {},
  ): Promise<void> {
    if (!ix.guildId || !ix.channelId) {
      await ix.reply({ content: "Group rounds happen in a server channel.", flags: MessageFlags.Ephemeral });
      return;
    }
    const refusal = await this.refusal(ix.guildId, ix.channelId);
    if (refusal) {
      await ix.reply({ content: refusal, flags: MessageFlags.Ephemeral });
      return;
    }
    const focus = weakest ? await this.d.content.weakestConcept(ix.guildId, lesson.id) : null;
    if (weakest && !focus) {
      await ix.reply({ content: noWeakConcept(lesson, "this server"), flags: MessageFlags.Ephemeral });
      return;
    }
    const round = await this.prepare(ix.guildId, ix.channelId, lesson, sectionId, ix.id, {
      ...(focus ? { concept: focus.concept } : {}),
      ...(source ? { source } : {}),
    });
    if (!round) {
      await ix.reply({
        content: source === "server" ? noServerQuestion(lesson) : noQuestion(lesson, sectionId, this.d),
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const header = focus
      ? `🎯 The concept this server misses most: \`${focus.concept}\` (${Math.round(focus.mastery * 100)}% right)\n`
      : "";
    const body = this.roundMessage(round.id, lesson, round.q, round.endsAt, header);
    const response = await ix.reply({
      content: body.content,
      components: body.components,
      withResponse: true,
    });
    const messageId = response.resource?.message?.id;
    if (messageId) await this.d.rounds.setMessage(round.id, messageId);
    this.schedule(round.id, round.endsAt);
  }

  /** A round posted by the bot itself (the daily quiz, or a question a moderator just made: `key`). */
  async startInChannel(
    guildId: string,
    channelId: string,
    lesson: Lesson,
    header: string,
    draw: { key?: string; source?: QuizSource } = {},
  ): Promise<number | null> {
    const seed = `${draw.key ? "own" : "daily"}-${this.d.clock.now()}`;
    const round = await this.prepare(guildId, channelId, lesson, null, seed, draw);
    if (!round) return null;
    const body = this.roundMessage(round.id, lesson, round.q, round.endsAt, header);
    const msg = (await this.d.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
    await this.d.rounds.setMessage(round.id, msg.id);
    this.schedule(round.id, round.endsAt);
    return round.id;
  }

  /** Why a group round may not start here (an open round, or not a lesson channel). */
  async refusal(guildId: string, channelId: string): Promise<string | null> {
    if (await this.d.rounds.openInChannel(channelId))
      return "A group round is already running in this channel.";
    const { lessonChannels } = await this.d.settings.get(guildId);
    if (lessonChannels.length > 0 && !lessonChannels.includes(channelId))
      return `Group rounds happen in the lesson channels: ${lessonChannels.map((c) => `<#${c}>`).join(", ")}.`;
    return null;
  }

  private schedule(roundId: number, endsAt: number): void {
    const delay = Math.max(0, endsAt - this.d.clock.now());
    const timer = setTimeout(() => {
      this.timers.delete(roundId);
      this.close(roundId, "").catch((err: unknown) => {
        // Nothing was stored (the close and the scores are one transaction), e.g. the database could not be
        // reached: try again until it goes through.
        this.d.logger.error({ err, roundId }, "closing round failed; trying again");
        if (!this.stopped) this.schedule(roundId, this.d.clock.now() + CLOSE_RETRY_MS);
      });
    }, delay);
    this.timers.set(roundId, timer);
  }

  /** A member's answer: stored at once, answered with an ephemeral "locked in". */
  async answer(ix: ButtonInteraction | StringSelectMenuInteraction, roundId: number, choiceIds: string[]) {
    const round = await this.d.rounds.get(roundId);
    if (!round) throw new StaleComponentError(`round ${roundId} not found`);
    const outcome = await this.d.rounds.answer(roundId, ix.user.id, choiceIds.join(","), this.d.clock.now());
    const name = (ids: string) =>
      ids
        .split(",")
        .map((id) => `**${id}**`)
        .join(", ");
    const text =
      outcome.kind === "closed"
        ? "⌛ This round is over; the answer is being revealed."
        : outcome.kind === "locked"
          ? `🔒 Locked in: ${name(outcome.choice)}. You may change your answer once before the time is up.`
          : outcome.kind === "changed"
            ? `🔁 Changed to ${name(outcome.choice)}. That was your one change: this answer is final.`
            : outcome.kind === "same"
              ? `🔒 You already chose ${name(outcome.choice)}.`
              : `🔒 You already changed your answer once; ${name(outcome.choice)} stays.`;
    await ix.reply({ content: text, flags: MessageFlags.Ephemeral });
  }

  /**
   * Closes a round once, across every bot process: marks it closed and scores every answer in one transaction
   * (a failure leaves it open to be closed again, never closed without its scores), then edits the message.
   */
  async close(roundId: number, note: string): Promise<void> {
    const round = await this.d.rounds.get(roundId);
    if (round?.status !== "open") return;
    const reveal = await this.d.store.transaction(async (tx) => {
      const rounds = new RoundsStore(tx);
      if (!(await rounds.close(roundId))) return null;
      const { content } = this.d;
      let question: PresentedQuestion;
      try {
        question = content.presentQuestion(round.questionKey, round.seed);
      } catch (err) {
        // The question left the lessons (an edit and a restart): nothing to score, but the round must end.
        if (!(err instanceof QuizError)) throw err;
        this.d.logger.warn({ roundId, key: round.questionKey }, "group round closed: its question is gone");
        return "👥 **Group round closed**: its question is no longer in the lessons.";
      }
      const lesson = content.lessons().find((l) => l.id === question.lessonId);
      const answers = await rounds.answers(round.id);
      const score = await this.score(round, answers, tx);
      return revealText({ question, command: lesson?.command ?? question.lessonId, note, answers, ...score });
    });
    if (reveal === null) return;
    const body = { content: reveal, components: [], allowed_mentions: NO_MENTIONS };
    if (round.messageId)
      await this.d.rest.patch(Routes.channelMessage(round.channelId, round.messageId), { body });
    else await this.d.rest.post(Routes.channelMessages(round.channelId), { body });
  }

  /** Scores each member's answer and records it in their progress (in `tx`): the only writes of a closing round. */
  private async score(round: GroupRound, answers: RoundAnswer[], tx: Store): Promise<RoundScore> {
    const { content } = this.d;
    const roundMs = round.endsAt - round.startedAt;
    const right: RightAnswer[] = [];
    for (const a of answers) {
      const r = content.answer({
        key: round.questionKey,
        seed: round.seed,
        choiceIds: a.choice.split(","),
        mode: "group",
        elapsedMs: a.answeredAt - round.startedAt,
        roundMs,
      });
      await content.recordAnswer(
        {
          guildId: round.guildId,
          memberId: a.userId,
          key: round.questionKey,
          correct: r.correct,
          points: r.points,
          misconceptions: r.misconceptions,
        },
        tx,
      );
      if (r.correct) right.push({ userId: a.userId, ms: a.answeredAt - round.startedAt });
    }
    // The explanation and right answer do not depend on who answered: ask once with an empty choice.
    const truth = content.answer({ key: round.questionKey, seed: round.seed, choiceIds: [], mode: "group" });
    return { correctChoiceIds: truth.correctChoiceIds, explanation: truth.explanation, right };
  }

  /** At start-up: resume open rounds that still have time, close the others with a note. */
  async resume(): Promise<void> {
    for (const round of await this.d.rounds.open()) {
      if (round.endsAt > this.d.clock.now()) {
        this.schedule(round.id, round.endsAt);
        this.d.logger.info({ roundId: round.id }, "group round resumed after a restart");
      } else {
        await this.close(round.id, "closed after a restart of the bot").catch((err: unknown) =>
          this.d.logger.error({ err, roundId: round.id }, "closing a round after a restart failed"),
        );
      }
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** An answer button of a round: ga:round:choice. */
export const groupAnswerButton = componentHandler<[roundId: number, choiceId: string]>({
  kind: "ga",
  async handle(ix, args, bot) {
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    await bot.groupRounds.answer(ix, Number(args[0]), [args[1] ?? ""]);
  },
});

/** The select menu of a several-choice round: gm:round. */
export const groupAnswerSelect = componentHandler<[roundId: number]>({
  kind: "gm",
  async handle(ix, args, bot) {
    if (!ix.isStringSelectMenu()) throw new StaleComponentError("not a select menu");
    await bot.groupRounds.answer(ix, Number(args[0]), ix.values);
  },
});

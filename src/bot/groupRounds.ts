// Group rounds: a public question, everyone answers within the round length (ephemeral "locked in", one
// change allowed), then the message is edited to reveal the answer, the share per choice, who was right,
// who was fastest and the explanation. Rounds live in the store; after a restart an open round is resumed
// (time left) or closed with a note (time up).
import type { REST } from "@discordjs/rest";
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  MessageFlags,
  Routes,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { Lesson } from "../lessons/types.js";
import { QuizError } from "../quiz/engine.js";
import type { PresentedQuestion } from "../quiz/types.js";
import type { Store } from "../store/db.js";
import { type GroupRound, RoundsStore } from "../store/rounds.js";
import { customId } from "./customId.js";
import { clip } from "./format.js";
import { answerRows, choiceNames, questionText } from "./quizView.js";
import { type BotServices, type ComponentHandler, StaleComponentError } from "./types.js";

const NO_MENTIONS = { parse: [] as never[] };

/** A round that could not be closed (the database unreachable, say) is tried again after this long. */
export const CLOSE_RETRY_MS = 5000;

const elapsed = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export class GroupRounds {
  private timers = new Map<number, NodeJS.Timeout>();
  private rest: REST | null = null;
  private stopped = false;

  constructor(private readonly bot: BotServices) {}

  /** Gives the rounds a way to post and edit channel messages (set when the client exists). */
  attach(rest: REST): void {
    this.rest = rest;
  }

  async roundMs(guildId: string): Promise<number> {
    const { roundSeconds } = await this.bot.settings.get(guildId);
    return (roundSeconds ?? this.bot.config.GROUP_ROUND_SECONDS) * 1000;
  }

  private async prepare(
    guildId: string,
    channelId: string,
    lesson: Lesson,
    sectionId: string | null,
    seed: string,
  ) {
    const key = await this.bot.content.drawQuestion({
      lessonId: lesson.id,
      ...(sectionId ? { sectionId } : {}),
      guildId,
      seed,
    });
    if (!key) return null;
    const q = this.bot.content.presentQuestion(key, seed);
    const startedAt = this.bot.clock.now();
    const endsAt = startedAt + (await this.roundMs(guildId));
    const id = await this.bot.rounds.create({
      guildId,
      channelId,
      questionKey: key,
      seed,
      startedAt,
      endsAt,
    });
    return { id, q, endsAt };
  }

  private roundMessage(id: number, lesson: Lesson, q: PresentedQuestion, endsAt: number, header: string) {
    const title = `${header}👥 **Group round** · /${lesson.command} · ends <t:${Math.ceil(endsAt / 1000)}:R>`;
    return {
      content: questionText(
        q,
        title,
        "-# Everyone answers privately; the answer is revealed when the time is up.",
      ),
      components: answerRows(q, (choice) => customId("ga", id, choice), customId("gm", id)).map((r) =>
        r.toJSON(),
      ),
      allowed_mentions: NO_MENTIONS,
    };
  }

  /** `/<lesson> quiz mode:group`: the round is the public reply to the command. */
  async startFromCommand(
    ix: ChatInputCommandInteraction,
    lesson: Lesson,
    sectionId: string | null,
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
    const round = await this.prepare(ix.guildId, ix.channelId, lesson, sectionId, ix.id);
    if (!round) {
      await ix.reply({
        content: `There is no question ready for ${lesson.title}.`,
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const body = this.roundMessage(round.id, lesson, round.q, round.endsAt, "");
    const response = await ix.reply({
      content: body.content,
      components: body.components,
      allowedMentions: NO_MENTIONS,
      withResponse: true,
    });
    const messageId = response.resource?.message?.id;
    if (messageId) await this.bot.rounds.setMessage(round.id, messageId);
    this.schedule(round.id, round.endsAt);
  }

  /** A round posted by the bot itself (the daily quiz). */
  async startInChannel(
    guildId: string,
    channelId: string,
    lesson: Lesson,
    header: string,
  ): Promise<number | null> {
    if (!this.rest) throw new Error("group rounds are not attached to a client");
    const round = await this.prepare(guildId, channelId, lesson, null, `daily-${this.bot.clock.now()}`);
    if (!round) return null;
    const body = this.roundMessage(round.id, lesson, round.q, round.endsAt, header);
    const msg = (await this.rest.post(Routes.channelMessages(channelId), { body })) as { id: string };
    await this.bot.rounds.setMessage(round.id, msg.id);
    this.schedule(round.id, round.endsAt);
    return round.id;
  }

  /** Why a group round may not start here (an open round, or not a lesson channel). */
  private async refusal(guildId: string, channelId: string): Promise<string | null> {
    if (await this.bot.rounds.openInChannel(channelId))
      return "A group round is already running in this channel.";
    const { lessonChannels } = await this.bot.settings.get(guildId);
    if (lessonChannels.length > 0 && !lessonChannels.includes(channelId))
      return `Group rounds happen in the lesson channels: ${lessonChannels.map((c) => `<#${c}>`).join(", ")}.`;
    return null;
  }

  private schedule(roundId: number, endsAt: number): void {
    const delay = Math.max(0, endsAt - this.bot.clock.now());
    const timer = setTimeout(() => {
      this.timers.delete(roundId);
      this.close(roundId, "").catch((err: unknown) => {
        // Nothing was stored (the close and the scores are one transaction), e.g. the database could not be
        // reached: try again until it goes through.
        this.bot.logger.error({ err, roundId }, "closing round failed; trying again");
        if (!this.stopped) this.schedule(roundId, this.bot.clock.now() + CLOSE_RETRY_MS);
      });
    }, delay);
    this.timers.set(roundId, timer);
  }

  /** A member's answer: stored at once, answered with an ephemeral "locked in". */
  async answer(ix: ButtonInteraction | StringSelectMenuInteraction, roundId: number, choiceIds: string[]) {
    const round = await this.bot.rounds.get(roundId);
    if (!round) throw new StaleComponentError(`round ${roundId} not found`);
    const outcome = await this.bot.rounds.answer(
      roundId,
      ix.user.id,
      choiceIds.join(","),
      this.bot.clock.now(),
    );
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
   * (so a failure leaves it open to be closed again, never closed without scores), then edits the message.
   */
  async close(roundId: number, note: string): Promise<void> {
    const round = await this.bot.rounds.get(roundId);
    if (round?.status !== "open") return;
    const reveal = await this.bot.store.transaction(async (tx) => {
      if (!(await new RoundsStore(tx).close(roundId))) return null;
      try {
        return await this.reveal(round, note, tx);
      } catch (err) {
        // The question left the lessons (an edit and a restart): nothing to score, but the round must end.
        if (!(err instanceof QuizError)) throw err;
        this.bot.logger.warn({ roundId, key: round.questionKey }, "group round closed: its question is gone");
        return "👥 **Group round closed**: its question is no longer in the lessons.";
      }
    });
    if (reveal === null) return;
    if (!this.rest) throw new Error("group rounds are not attached to a client");
    const body = { content: reveal, components: [], allowed_mentions: NO_MENTIONS };
    if (round.messageId)
      await this.rest.patch(Routes.channelMessage(round.channelId, round.messageId), { body });
    else await this.rest.post(Routes.channelMessages(round.channelId), { body });
  }

  /** Scores the round's answers (in `tx`) and writes the reveal. */
  private async reveal(round: GroupRound, note: string, tx: Store): Promise<string> {
    const { content } = this.bot;
    const q = content.presentQuestion(round.questionKey, round.seed);
    const lesson = content.lessons().find((l) => l.id === q.lessonId);
    const answers = await new RoundsStore(tx).answers(round.id);
    const roundMs = round.endsAt - round.startedAt;
    let explanation = "";
    let correctIds: string[] = [];
    const right: { userId: string; ms: number }[] = [];
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
        },
        tx,
      );
      if (r.correct) right.push({ userId: a.userId, ms: a.answeredAt - round.startedAt });
    }
    // The explanation and right answer do not depend on who answered: ask once with an empty choice.
    const truth = content.answer({ key: round.questionKey, seed: round.seed, choiceIds: [], mode: "group" });
    explanation = truth.explanation;
    correctIds = truth.correctChoiceIds;
    const counts = q.choices.map((c) => answers.filter((a) => a.choice.split(",").includes(c.id)).length);
    const total = answers.length;
    const bars = q.choices
      .map((c, i) => {
        const n = counts[i] ?? 0;
        const pct = total > 0 ? Math.round((100 * n) / total) : 0;
        const bar = "▰".repeat(Math.round(pct / 10)) + "▱".repeat(10 - Math.round(pct / 10));
        const text = c.text === c.label && !c.text.includes("\n") ? ` ${clip(c.text, 50)}` : "";
        return `${correctIds.includes(c.id) ? "✅" : "▫️"} **${c.id}**${text} ${bar} ${n} (${pct}%)`;
      })
      .join("\n");
    right.sort((a, b) => a.ms - b.ms);
    const fastest = right[0];
    const who =
      total === 0
        ? "Nobody answered this time."
        : right.length === 0
          ? `Nobody got it right (${total} answered).`
          : `Right (${right.length}/${total}): ${right.map((r) => `<@${r.userId}>`).join(", ")} · ⚡ Fastest: <@${fastest?.userId}> (${elapsed(fastest?.ms ?? 0)})`;
    const title = `👥 **Group round closed** · /${lesson?.command ?? q.lessonId}${note ? ` · ${note}` : ""}`;
    const head = questionText(q, title, "", 900);
    return clip(
      [head, `**Answer:** ${choiceNames(q, correctIds)}`, bars, clip(who, 400), clip(explanation, 500)].join(
        "\n",
      ),
      2000,
    );
  }

  /** At start-up: resume open rounds that still have time, close the others with a note. */
  async resume(): Promise<void> {
    for (const round of await this.bot.rounds.open()) {
      if (round.endsAt > this.bot.clock.now()) {
        this.schedule(round.id, round.endsAt);
        this.bot.logger.info({ roundId: round.id }, "group round resumed after a restart");
      } else {
        await this.close(round.id, "closed after a restart of the bot").catch((err: unknown) =>
          this.bot.logger.error({ err, roundId: round.id }, "closing a round after a restart failed"),
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

export const groupAnswerButton: ComponentHandler = {
  kind: "ga",
  async handle(ix, args, bot) {
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    await bot.groupRounds.answer(ix, Number(args[0]), [args[1] ?? ""]);
  },
};

export const groupAnswerSelect: ComponentHandler = {
  kind: "gm",
  async handle(ix, args, bot) {
    if (!ix.isStringSelectMenu()) throw new StaleComponentError("not a select menu");
    await bot.groupRounds.answer(ix, Number(args[0]), ix.values);
  },
};

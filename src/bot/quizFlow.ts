// Solo quizzes: an ephemeral question, feedback in place, "Show me" (the real run with its clauses), "Next",
// and the running score carried in the buttons themselves so they keep working after a restart.
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { Lesson } from "../lessons/types.js";
import { flowReportOf } from "../picture/index.js";
import type { PresentedQuestion } from "../quiz/types.js";
import { componentHandler } from "./customId.js";
import { MESSAGE_CONTENT_MAX } from "./discordLimits.js";
import { flowAttachment, worthAPicture } from "./flowPicture.js";
import { clip, formatRun } from "./format.js";
import { answerRows, choiceNames, questionMessageText } from "./quizView.js";
import { type BotServices, StaleComponentError } from "./types.js";

interface Score {
  right: number;
  total: number;
}

function sectionTitle(lesson: Lesson, sectionId: string): string {
  return lesson.sections.find((s) => s.id === sectionId)?.title ?? sectionId;
}

function soloMessage(lesson: Lesson, q: PresentedQuestion, seed: string, score: Score) {
  const title = `🧩 **/${lesson.command} quiz** · ${sectionTitle(lesson, q.sectionId)}`;
  const footer = `-# Score this session: ${score.right}/${score.total}`;
  const tail = [score.right, score.total] as const;
  return {
    content: questionMessageText(q, title, footer),
    components: answerRows(
      q,
      (choice) => soloAnswerButton.id(q.key, seed, choice, ...tail),
      soloAnswerSelect.id(q.key, seed, ...tail),
    ),
  };
}

/** Why no question could be drawn: the bot is still deriving answers (just started), or there is none. */
export function noQuestion(
  lesson: Lesson,
  sectionId: string | null,
  bot: Pick<BotServices, "content">,
): string {
  if (bot.content.answersPending() > 0)
    return `The questions of ${lesson.title} are still being prepared (the bot has just started). Try again in a few seconds.`;
  return sectionId
    ? `There is no question ready for section "${sectionId}" of ${lesson.title}.`
    : `There is no question ready for ${lesson.title} yet.`;
}

/** `/<lesson> quiz mode:solo`. */
export async function startSoloQuiz(
  ix: ChatInputCommandInteraction | ButtonInteraction,
  bot: BotServices,
  lesson: Lesson,
  sectionId: string | null,
): Promise<void> {
  const key = bot.content.drawQuestion({
    lessonId: lesson.id,
    ...(sectionId ? { sectionId } : {}),
    memberId: ix.user.id,
    ...(ix.guildId ? { guildId: ix.guildId } : {}),
    seed: ix.id,
  });
  if (!key) {
    await ix.reply({ content: noQuestion(lesson, sectionId, bot), flags: MessageFlags.Ephemeral });
    return;
  }
  const q = bot.content.presentQuestion(key, ix.id);
  await ix.reply({
    ...soloMessage(lesson, q, ix.id, { right: 0, total: 0 }),
    flags: MessageFlags.Ephemeral,
  });
}

async function answerSolo(
  ix: ButtonInteraction | StringSelectMenuInteraction,
  bot: BotServices,
  key: string,
  seed: string,
  choiceIds: string[],
  before: Score,
): Promise<void> {
  let q: PresentedQuestion;
  try {
    q = bot.content.presentQuestion(key, seed);
  } catch {
    throw new StaleComponentError(`question ${key} is gone`);
  }
  const lesson = bot.content.lessons().find((l) => l.id === q.lessonId);
  if (!lesson) throw new StaleComponentError(`lesson ${q.lessonId} is gone`);
  const result = bot.content.answer({ key, seed, choiceIds, mode: "solo" });
  const score = { right: before.right + (result.correct ? 1 : 0), total: before.total + 1 };
  const verdict = result.correct
    ? `✅ **Right!** ${choiceNames(q, result.correctChoiceIds)}`
    : `❌ **Not quite.** You chose ${choiceNames(q, choiceIds)}; the answer is ${choiceNames(q, result.correctChoiceIds)}.`;
  const title = `🧩 **/${lesson.command} quiz** · ${sectionTitle(lesson, q.sectionId)}`;
  const question = questionMessageText(q, title, "", 1000);
  const content = clip(
    [
      question,
      verdict,
      clip(result.explanation, 600),
      `-# Score this session: ${score.right}/${score.total}`,
    ].join("\n"),
    MESSAGE_CONTENT_MAX,
  );
  const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(showMeButton.id(key)).setLabel("Show me").setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(soloNextButton.id(lesson.id, q.sectionId, score.right, score.total, key))
      .setLabel("Next")
      .setStyle(ButtonStyle.Primary),
  );
  // The picture of the question's program, from the report its answer was derived from (nothing runs).
  const files = worthAPicture(result.flow) ? [flowAttachment(result.flow, q.code)] : [];
  await ix.update({ content, components: [buttons], files });
  // Stored once the member has the feedback: the write waits for the disk (synchronous=FULL), the reply need not.
  if (ix.guildId)
    bot.content.recordAnswer({
      guildId: ix.guildId,
      memberId: ix.user.id,
      key,
      correct: result.correct,
      points: result.points,
    });
}

/** An answer button: qa:key:seed:choice:right:total. */
export const soloAnswerButton = componentHandler<
  [key: string, seed: string, choice: string, right: number, total: number]
>({
  kind: "qa",
  async handle(ix, args, bot) {
    const [key = "", seed = "", choice = "", right = "0", total = "0"] = args;
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    await answerSolo(ix, bot, key, seed, [choice], { right: Number(right), total: Number(total) });
  },
});

/** The select menu of a several-choice question: qm:key:seed:right:total. */
export const soloAnswerSelect = componentHandler<[key: string, seed: string, right: number, total: number]>({
  kind: "qm",
  async handle(ix, args, bot) {
    const [key = "", seed = "", right = "0", total = "0"] = args;
    if (!ix.isStringSelectMenu()) throw new StaleComponentError("not a select menu");
    await answerSolo(ix, bot, key, seed, ix.values, { right: Number(right), total: Number(total) });
  },
});

/** "Next": qn:lesson:section:right:total:lastKey — the same section, another question. */
export const soloNextButton = componentHandler<
  [lessonId: string, sectionId: string, right: number, total: number, lastKey: string]
>({
  kind: "qn",
  async handle(ix, args, bot) {
    const [lessonId = "", sectionId = "", right = "0", total = "0", lastKey = ""] = args;
    const lesson = bot.content.lessons().find((l) => l.id === lessonId);
    if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${lessonId} is gone`);
    const draw = (section?: string) =>
      bot.content.drawQuestion({
        lessonId,
        ...(section ? { sectionId: section } : {}),
        memberId: ix.user.id,
        ...(ix.guildId ? { guildId: ix.guildId } : {}),
        exclude: [lastKey],
        seed: ix.id,
      });
    // When the section has no other question, move on through the lesson.
    const key = draw(sectionId) ?? draw();
    if (!key) {
      await ix.update({
        content: `${noQuestion(lesson, null, bot)} Final score: ${right}/${total}.`,
        components: [],
        attachments: [],
      });
      return;
    }
    const q = bot.content.presentQuestion(key, ix.id);
    // attachments: [] takes the last answer's picture away with its feedback.
    await ix.update({
      ...soloMessage(lesson, q, ix.id, { right: Number(right), total: Number(total) }),
      attachments: [],
    });
  },
});

/** "Show me": runs the question's code in the sandbox and shows what ran, privately. */
export const showMeButton = componentHandler<[key: string]>({
  kind: "qs",
  async handle(ix, args, bot) {
    const [key = ""] = args;
    let q: PresentedQuestion;
    try {
      q = bot.content.presentQuestion(key, "show");
    } catch {
      throw new StaleComponentError(`question ${key} is gone`);
    }
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    await ix.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await bot.runCode({ code: q.code, ownerId: ix.user.id });
    const out = formatRun(result, "-# The question's code, run for real:");
    const flow = flowReportOf(result);
    await ix.editReply({
      content: out.content,
      files: worthAPicture(flow) ? [flowAttachment(flow, q.code)] : [],
    });
  },
});

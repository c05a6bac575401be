// Solo quizzes: an ephemeral question with Hint and Skip, feedback in place, "Show me" (the real run with its
// clauses), "Next", and the running score carried in the buttons themselves so they keep working after a restart.
import {
  ActionRowBuilder,
  AttachmentBuilder,
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
import {
  type BotServices,
  type ComponentHandler,
  type DrawOptions,
  type QuizSource,
  StaleComponentError,
} from "./types.js";

interface Score {
  right: number;
  total: number;
}

function sectionTitle(lesson: Lesson, sectionId: string): string {
  return lesson.sections.find((s) => s.id === sectionId)?.title ?? sectionId;
}

/**
 * A solo question with its answer controls and Hint / Skip, the same for every kind of question. The score
 * (and whether the hint was shown) rides in the custom_ids, so the buttons work after a restart.
 */
function soloMessage(lesson: Lesson, q: PresentedQuestion, seed: string, score: Score, hintShown = false) {
  const title = `🧩 **/${lesson.command} quiz** · ${sectionTitle(lesson, q.sectionId)}`;
  const hint = hintShown ? `💡 **Hint:** ${q.hint}\n` : "";
  const footer = `${hint}-# Score this session: ${score.right}/${score.total}`;
  const flag = hintShown ? HINT_SHOWN : "";
  return {
    content: questionMessageText(q, title, footer),
    components: answerRows(
      q,
      (choice) => soloAnswerButton.id(q.key, seed, choice, score.right, score.total, flag),
      soloAnswerSelect.id(q.key, seed, score.right, score.total, flag),
      {
        hintId: soloHintButton.id(q.key, seed, score.right, score.total),
        skipId: soloSkipButton.id(lesson.id, q.sectionId, score.right, score.total, q.key),
        hintShown,
      },
    ),
  };
}

/** The last custom_id argument of an answer given after the hint was shown. */
const HINT_SHOWN = "h";

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

export function noServerQuestion(lesson: Lesson): string {
  return `This server has no questions of its own about ${lesson.title} yet: make one with \`/quiz create\`.`;
}

/** The `focus` option's value: ask about the weakest concept. */
export const WEAKEST = "weakest";

/** "You have not missed any question ..." when there is no weak concept to practise yet. */
export function noWeakConcept(lesson: Lesson, whose: "you" | "this server"): string {
  return `${whose === "you" ? "You have" : "This server has"} not missed any question of ${lesson.title} yet, so there is no weakest concept to practise. Try a quiz without focus.`;
}

/** Where a server's quizzes draw from when not told: its own questions mixed in, if /config quiz says so. */
export async function defaultSource(
  bot: Pick<BotServices, "serverQuestions">,
  guildId: string | null,
): Promise<QuizSource> {
  return guildId && (await bot.serverQuestions.settings(guildId)).mixServerQuestions ? "mixed" : "lessons";
}

/** `/<lesson> quiz mode:solo` (with `focus:weakest concept`, a question on the member's weakest concept). */
export async function startSoloQuiz(
  ix: ChatInputCommandInteraction | ButtonInteraction,
  bot: BotServices,
  lesson: Lesson,
  sectionId: string | null,
  { weakest = false, source }: DrawOptions = {},
): Promise<void> {
  const from = source ?? (await defaultSource(bot, ix.guildId));
  const focus =
    weakest && ix.guildId ? await bot.content.weakestConcept(ix.guildId, lesson.id, ix.user.id) : null;
  if (weakest && !focus) {
    await ix.reply({ content: noWeakConcept(lesson, "you"), flags: MessageFlags.Ephemeral });
    return;
  }
  const key = await bot.content.drawQuestion({
    lessonId: lesson.id,
    ...(sectionId ? { sectionId } : {}),
    ...(focus ? { concept: focus.concept } : {}),
    source: from,
    memberId: ix.user.id,
    ...(ix.guildId ? { guildId: ix.guildId } : {}),
    seed: ix.id,
  });
  if (!key) {
    const content = from === "server" ? noServerQuestion(lesson) : noQuestion(lesson, sectionId, bot);
    await ix.reply({ content, flags: MessageFlags.Ephemeral });
    return;
  }
  const q = bot.content.presentQuestion(key, ix.id);
  await ix.reply({
    ...soloMessage(lesson, q, ix.id, { right: 0, total: 0 }),
    flags: MessageFlags.Ephemeral,
  });
}

/** The question a button refers to; stale once it has left the lessons (or the server's questions). */
function presented(bot: BotServices, key: string, seed: string): PresentedQuestion {
  try {
    return bot.content.presentQuestion(key, seed);
  } catch {
    throw new StaleComponentError(`question ${key} is gone`);
  }
}

/** The question and its lesson; stale when either is gone. */
function questionWithLesson(
  bot: BotServices,
  key: string,
  seed: string,
): { q: PresentedQuestion; lesson: Lesson } {
  const q = presented(bot, key, seed);
  const lesson = bot.content.lessons().find((l) => l.id === q.lessonId);
  if (!lesson) throw new StaleComponentError(`lesson ${q.lessonId} is gone`);
  return { q, lesson };
}

async function answerSolo(
  ix: ButtonInteraction | StringSelectMenuInteraction,
  bot: BotServices,
  key: string,
  seed: string,
  choiceIds: string[],
  before: Score,
  hintUsed: boolean,
): Promise<void> {
  const { q, lesson } = questionWithLesson(bot, key, seed);
  const result = bot.content.answer({ key, seed, choiceIds, mode: "solo", hintUsed });
  const score = { right: before.right + (result.correct ? 1 : 0), total: before.total + 1 };
  // A wrong answer a misconception explains gets its name and correction ("You chose B: that is what ...").
  const verdict = result.correct
    ? `✅ **Right!** ${choiceNames(q, result.correctChoiceIds)}`
    : result.feedback
      ? `❌ **Not quite.** The answer is ${choiceNames(q, result.correctChoiceIds)}.\n💡 ${result.feedback}`
      : `❌ **Not quite.** You chose ${choiceNames(q, choiceIds)}; the answer is ${choiceNames(q, result.correctChoiceIds)}.`;
  const title = `🧩 **/${lesson.command} quiz** · ${sectionTitle(lesson, q.sectionId)}`;
  const question = questionMessageText(q, title, "", 1000);
  const content = clip(
    [
      question,
      verdict,
      clip(result.explanation, 600),
      `-# ${hintUsed ? "💡 Hint used · " : ""}Score this session: ${score.right}/${score.total}`,
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
  const files = worthAPicture(result.flow)
    ? [await bot.questionPictures.attachment(key, result.flow, q.code)]
    : [];
  await ix.update({ content, components: [buttons], files });
  // Stored once the member has the feedback: the write waits for the disk (synchronous=FULL) or the database
  // server, the reply need not. A failed write still reaches the router, which tells the member.
  if (ix.guildId)
    await bot.content.recordAnswer({
      guildId: ix.guildId,
      memberId: ix.user.id,
      key,
      correct: result.correct,
      points: result.points,
      hintUsed,
      misconceptions: result.misconceptions,
    });
}

/** An answer button: qa:key:seed:choice:right:total:hint ("h" after the hint was shown, else ""). */
export const soloAnswerButton = componentHandler<
  [key: string, seed: string, choice: string, right: number, total: number, hint: string]
>({
  kind: "qa",
  async handle(ix, args, bot) {
    const [key = "", seed = "", choice = "", right = "0", total = "0", hint] = args;
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    const score = { right: Number(right), total: Number(total) };
    await answerSolo(ix, bot, key, seed, [choice], score, hint === HINT_SHOWN);
  },
});

/** The select menu of a several-choice question: qm:key:seed:right:total:hint. */
export const soloAnswerSelect = componentHandler<
  [key: string, seed: string, right: number, total: number, hint: string]
>({
  kind: "qm",
  async handle(ix, args, bot) {
    const [key = "", seed = "", right = "0", total = "0", hint] = args;
    if (!ix.isStringSelectMenu()) throw new StaleComponentError("not a select menu");
    const score = { right: Number(right), total: Number(total) };
    await answerSolo(ix, bot, key, seed, ix.values, score, hint === HINT_SHOWN);
  },
});

/** "Hint": qh:key:seed:right:total. The same question, in place, with its hint; a right answer then scores less. */
export const soloHintButton = componentHandler<[key: string, seed: string, right: number, total: number]>({
  kind: "qh",
  async handle(ix, args, bot) {
    const [key = "", seed = "", right = "0", total = "0"] = args;
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    const { q, lesson } = questionWithLesson(bot, key, seed);
    await ix.update(soloMessage(lesson, q, seed, { right: Number(right), total: Number(total) }, true));
  },
});

type NextArgs = [lessonId: string, sectionId: string, right: number, total: number, lastKey: string];

/** "Next": qn:lesson:section:right:total:lastKey — the same section, another question. */
export const soloNextButton = componentHandler<NextArgs>({
  kind: "qn",
  async handle(ix, args, bot) {
    await nextQuestion(ix, bot, args, false);
  },
});

/**
 * "Skip": qk:lesson:section:right:total:skippedKey — moves on without an answer (nothing is recorded, so the
 * question stays unseen). It goes forward in lesson order, so skipping again never cycles between two questions.
 */
export const soloSkipButton = componentHandler<NextArgs>({
  kind: "qk",
  async handle(ix, args, bot) {
    await nextQuestion(ix, bot, args, true);
  },
});

async function nextQuestion(
  ix: Parameters<ComponentHandler["handle"]>[0],
  bot: BotServices,
  args: string[],
  skipped: boolean,
): Promise<void> {
  const [lessonId = "", sectionId = "", right = "0", total = "0", lastKey = ""] = args;
  const lesson = bot.content.lessons().find((l) => l.id === lessonId);
  if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${lessonId} is gone`);
  const source = await defaultSource(bot, ix.guildId);
  const draw = (exclude: string[], section?: string) =>
    bot.content.drawQuestion({
      lessonId,
      ...(section ? { sectionId: section } : {}),
      memberId: ix.user.id,
      ...(ix.guildId ? { guildId: ix.guildId } : {}),
      exclude,
      seed: ix.id,
      source,
    });
  const passed = skipped ? keysUpTo(lesson, lastKey) : [lastKey];
  // When the section has no other question, move on through the lesson (after a skip: wrap around last).
  const key =
    (await draw(passed, sectionId)) ?? (await draw(passed)) ?? (skipped ? await draw([lastKey]) : null);
  // attachments: [] takes the last answer's picture away with its feedback.
  if (!key) {
    await ix.update({
      content: `${noQuestion(lesson, null, bot)} Final score: ${right}/${total}.`,
      components: [],
      attachments: [],
    });
    return;
  }
  const q = bot.content.presentQuestion(key, ix.id);
  await ix.update({
    ...soloMessage(lesson, q, ix.id, { right: Number(right), total: Number(total) }),
    attachments: [],
  });
}

/** Keys of the lesson's questions in lesson order, up to and including `key`. */
function keysUpTo(lesson: Lesson, key: string): string[] {
  const all = lesson.sections.flatMap((s) => s.questions.map((q) => q.key));
  const at = all.indexOf(key);
  return at < 0 ? [key] : all.slice(0, at + 1);
}

/** "Show me": runs the question's code in the sandbox and shows what ran, privately. */
export const showMeButton = componentHandler<[key: string]>({
  kind: "qs",
  async handle(ix, args, bot) {
    const [key = ""] = args;
    const q = presented(bot, key, "show");
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    await ix.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await bot.runCode({ code: q.code, ownerId: ix.user.id });
    const out = formatRun(result, "-# The question's code, run for real:");
    const flow = flowReportOf(result);
    await ix.editReply({
      content: out.content,
      embeds: out.embeds,
      files: [
        ...(out.file ? [new AttachmentBuilder(out.file.data, { name: out.file.name })] : []),
        ...(worthAPicture(flow) ? [await flowAttachment(bot.pictures, flow, q.code)] : []),
      ],
    });
  },
});

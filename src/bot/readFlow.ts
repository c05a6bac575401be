// `/<lesson> read`: a section's page (text, example code) with Previous / Next / "Quiz me on this", the page
// edited in place as the member pages through the lesson.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, type ChatInputCommandInteraction } from "discord.js";
import type { Lesson } from "../lessons/types.js";
import { componentHandler } from "./customId.js";
import { MESSAGE_CONTENT_MAX } from "./discordLimits.js";
import { clip, codeBlock } from "./format.js";
import { startSoloQuiz } from "./quizFlow.js";
import { StaleComponentError } from "./types.js";

/** The page for one section: text, example code, and prev / next / quiz buttons. */
export function sectionPage(lesson: Lesson, index: number) {
  const section = lesson.sections[index];
  if (!section) throw new StaleComponentError(`section ${index} of ${lesson.id} is gone`);
  const head = `📖 **${lesson.title}** · ${index + 1}/${lesson.sections.length}: **${section.title}**`;
  const code = codeBlock(clip(section.code.source, 700), "py");
  const room = MESSAGE_CONTENT_MAX - head.length - code.length - 4;
  const content = [head, clip(section.text.trim(), room), code].join("\n");
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(readPageButton.id(lesson.id, index - 1))
      .setLabel("◀ Previous")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(index === 0),
    new ButtonBuilder()
      .setCustomId(readPageButton.id(lesson.id, index + 1))
      .setLabel("Next ▶")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(index >= lesson.sections.length - 1),
    new ButtonBuilder()
      .setCustomId(readQuizButton.id(lesson.id, section.id))
      .setLabel("Quiz me on this")
      .setStyle(ButtonStyle.Primary)
      .setDisabled(section.questions.length === 0),
  );
  return { content, components: [row] };
}

/** `/<lesson> read [section]`: the section's page (the first section when none is given). */
export async function readSection(ix: ChatInputCommandInteraction, lesson: Lesson, sectionId: string | null) {
  const index = sectionId
    ? Math.max(
        0,
        lesson.sections.findIndex((s) => s.id === sectionId),
      )
    : 0;
  await ix.reply(sectionPage(lesson, index));
}

/** Paging buttons: rd:lesson:index. The page is edited in place. */
export const readPageButton = componentHandler<[lessonId: string, index: number]>({
  kind: "rd",
  async handle(ix, args, bot) {
    const lesson = bot.content.lessons().find((l) => l.id === args[0]);
    if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${args[0]} is gone`);
    await ix.update(sectionPage(lesson, Number(args[1])));
  },
});

/** "Quiz me on this": rq:lesson:section starts a solo quiz on that section. */
export const readQuizButton = componentHandler<[lessonId: string, sectionId: string]>({
  kind: "rq",
  async handle(ix, args, bot) {
    const lesson = bot.content.lessons().find((l) => l.id === args[0]);
    if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${args[0]} is gone`);
    await startSoloQuiz(ix, bot, lesson, args[1] ?? null);
  },
});

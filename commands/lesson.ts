// One slash command per lesson file (its `command:`, e.g. /finally), each with the same two subcommands:
//   quiz [mode: solo|group] [section]   and   read [section]
// Sections are offered as fixed choices, read from the lesson when the commands are built.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from "discord.js";
import { componentHandler } from "../src/bot/customId.js";
import {
  COMMAND_CHOICE_NAME_MAX,
  COMMAND_CHOICES_MAX,
  COMMAND_DESCRIPTION_MAX,
  MESSAGE_CONTENT_MAX,
} from "../src/bot/discordLimits.js";
import { clip, codeBlock } from "../src/bot/format.js";
import { startSoloQuiz } from "../src/bot/quizFlow.js";
import { type BotCommand, StaleComponentError } from "../src/bot/types.js";
import type { Lesson } from "../src/lessons/types.js";

const sectionChoices = (lesson: Lesson) =>
  lesson.sections
    .slice(0, COMMAND_CHOICES_MAX)
    .map((s) => ({ name: clip(s.title, COMMAND_CHOICE_NAME_MAX), value: s.id }));

export function lessonCommand(lesson: Lesson): BotCommand {
  const data = new SlashCommandBuilder()
    .setName(lesson.command)
    .setDescription(clip(`Lesson: ${lesson.title}`, COMMAND_DESCRIPTION_MAX))
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName("quiz")
        .setDescription("A question about this lesson, for you alone or as a group round")
        .addStringOption((o) =>
          o
            .setName("mode")
            .setDescription("solo (only you see it) or group (everyone here answers, then the reveal)")
            .addChoices({ name: "solo", value: "solo" }, { name: "group", value: "group" }),
        )
        .addStringOption((o) =>
          o
            .setName("section")
            .setDescription("Which section to ask about")
            .addChoices(...sectionChoices(lesson)),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName("read")
        .setDescription("Read a section of this lesson")
        .addStringOption((o) =>
          o
            .setName("section")
            .setDescription("Which section")
            .addChoices(...sectionChoices(lesson)),
        ),
    );
  return {
    data: data.toJSON(),
    async execute(ix, bot) {
      if (!ix.isChatInputCommand()) return;
      const current = bot.content.lessons().find((l) => l.id === lesson.id) ?? lesson;
      const section = ix.options.getString("section");
      if (ix.options.getSubcommand() === "read") return await readSection(ix, current, section);
      if (ix.options.getString("mode") === "group")
        return await bot.groupRounds.startFromCommand(ix, current, section);
      return await startSoloQuiz(ix, bot, current, section);
    },
  };
}

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

async function readSection(ix: ChatInputCommandInteraction, lesson: Lesson, sectionId: string | null) {
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

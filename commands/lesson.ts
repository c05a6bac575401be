// One slash command per lesson file (its `command:`, e.g. /finally), each with the same two subcommands:
//   quiz [mode: solo|group] [section] [focus: weakest concept] [source: this server's questions]   and   read [section]
// Sections are offered as fixed choices, read from the lesson when the commands are built.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  InteractionContextType,
  SlashCommandBuilder,
} from "discord.js";
import { customId } from "../src/bot/customId.js";
import { clip, codeBlock } from "../src/bot/format.js";
import { startSoloQuiz, WEAKEST } from "../src/bot/quizFlow.js";
import { type BotCommand, type ComponentHandler, StaleComponentError } from "../src/bot/types.js";
import type { Lesson } from "../src/lessons/types.js";

const sectionChoices = (lesson: Lesson) =>
  lesson.sections.slice(0, 25).map((s) => ({ name: clip(s.title, 100), value: s.id }));

export function lessonCommand(lesson: Lesson): BotCommand {
  const data = new SlashCommandBuilder()
    .setName(lesson.command)
    .setDescription(clip(`Lesson: ${lesson.title}`, 100))
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
        )
        .addStringOption((o) =>
          o
            .setName("focus")
            .setDescription(
              "Ask about the concept missed most (yours when solo, the server's for a group round)",
            )
            .addChoices({ name: "weakest concept", value: WEAKEST }),
        )
        .addStringOption((o) =>
          o
            .setName("source")
            .setDescription("Ask this server's own questions (made with /quiz create)")
            .addChoices({ name: "this server's questions", value: "server" }),
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
      const draw = {
        weakest: ix.options.getString("focus") === WEAKEST,
        ...(ix.options.getString("source") === "server" ? { source: "server" as const } : {}),
      };
      if (ix.options.getString("mode") === "group")
        return await bot.groupRounds.startFromCommand(ix, current, section, draw);
      return await startSoloQuiz(ix, bot, current, section, draw);
    },
  };
}

/** The page for one section: text, example code, and prev / next / quiz buttons. */
export function sectionPage(lesson: Lesson, index: number) {
  const section = lesson.sections[index];
  if (!section) throw new StaleComponentError(`section ${index} of ${lesson.id} is gone`);
  const head = `📖 **${lesson.title}** · ${index + 1}/${lesson.sections.length}: **${section.title}**`;
  const code = codeBlock(clip(section.code.source, 700), "py");
  const room = 2000 - head.length - code.length - 4;
  const content = [head, clip(section.text.trim(), room), code].join("\n");
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(customId("rd", lesson.id, index - 1))
      .setLabel("◀ Previous")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(index === 0),
    new ButtonBuilder()
      .setCustomId(customId("rd", lesson.id, index + 1))
      .setLabel("Next ▶")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(index >= lesson.sections.length - 1),
    new ButtonBuilder()
      .setCustomId(customId("rq", lesson.id, section.id))
      .setLabel("Quiz me on this")
      .setStyle(ButtonStyle.Primary)
      .setDisabled(section.questions.length === 0),
  );
  return { content, components: [row], allowedMentions: { parse: [] as never[] } };
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
export const readPageButton: ComponentHandler = {
  kind: "rd",
  async handle(ix, args, bot) {
    const lesson = bot.content.lessons().find((l) => l.id === args[0]);
    if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${args[0]} is gone`);
    await ix.update(sectionPage(lesson, Number(args[1])));
  },
};

/** "Quiz me on this": rq:lesson:section starts a solo quiz on that section. */
export const readQuizButton: ComponentHandler = {
  kind: "rq",
  async handle(ix, args, bot) {
    const lesson = bot.content.lessons().find((l) => l.id === args[0]);
    if (!lesson || !ix.isButton()) throw new StaleComponentError(`lesson ${args[0]} is gone`);
    await startSoloQuiz(ix, bot, lesson, args[1] ?? null);
  },
};

// One slash command per lesson file (its `command:`, e.g. /finally), each with the same two subcommands:
//   quiz [mode: solo|group] [section]   and   read [section]
// Sections are offered as fixed choices, read from the lesson when the commands are built.
import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import {
  COMMAND_CHOICE_NAME_MAX,
  COMMAND_CHOICES_MAX,
  COMMAND_DESCRIPTION_MAX,
} from "../src/bot/discordLimits.js";
import { clip } from "../src/bot/format.js";
import { startSoloQuiz } from "../src/bot/quizFlow.js";
import { readSection } from "../src/bot/readFlow.js";
import type { BotCommand } from "../src/bot/types.js";
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

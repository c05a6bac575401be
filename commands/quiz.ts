// /quiz: questions from the study group's own code. create (a modal, then a private preview), bank (list or
// remove this server's questions), export (them as a lesson file). The flows live in src/bot/serverQuestions.ts.
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { COMMAND_CHOICES_MAX, NO_MENTIONS } from "../src/bot/discordLimits.js";
import {
  exportBank,
  KINDS,
  mayMakeQuestions,
  openCreateModal,
  showBank,
  whoMay,
} from "../src/bot/serverQuestions.js";
import type { BotCommand } from "../src/bot/types.js";
import type { Lesson } from "../src/lessons/types.js";

const KIND_NAMES: Record<(typeof KINDS)[number], string> = {
  whole_output: "What does it print? (whole output)",
  first_line: "What prints first?",
  escapes: "Does an error escape, or what is returned?",
  clauses: "Which clauses run?",
};

export function quizCommand(lessons: Lesson[]): BotCommand {
  return {
    data: new SlashCommandBuilder()
      .setName("quiz")
      .setDescription("Questions from this server's own code")
      .setContexts(InteractionContextType.Guild)
      .addSubcommand((s) =>
        s
          .setName("create")
          .setDescription(
            "Make a question from your own code (Manage Server, or the role /config quiz names)",
          )
          .addStringOption((o) =>
            o
              .setName("kind")
              .setDescription("What the question asks (default: the whole output)")
              .addChoices(...KINDS.map((k) => ({ name: KIND_NAMES[k], value: k }))),
          )
          .addStringOption((o) =>
            o
              .setName("lesson")
              .setDescription("Which lesson it belongs to (default: finally)")
              .addChoices(
                ...lessons.slice(0, COMMAND_CHOICES_MAX).map((l) => ({ name: l.command, value: l.id })),
              ),
          ),
      )
      .addSubcommand((s) =>
        s
          .setName("bank")
          .setDescription("List this server's questions, or remove one")
          .addIntegerOption((o) =>
            o.setName("remove").setDescription("The number of the question to remove").setMinValue(1),
          ),
      )
      .addSubcommand((s) => s.setName("export").setDescription("This server's questions as a lesson file"))
      .toJSON(),
    async execute(ix, bot) {
      if (!ix.isChatInputCommand()) return;
      if (!ix.guildId) return;
      if (!(await mayMakeQuestions(ix, bot))) {
        await ix.reply({
          content: (await whoMay(bot, ix.guildId)).replace("can make", "can make and manage"),
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
        return;
      }
      const sub = ix.options.getSubcommand();
      if (sub === "create") return await openCreateModal(ix, bot);
      if (sub === "bank") return await showBank(ix, bot);
      return await exportBank(ix, bot);
    },
  };
}

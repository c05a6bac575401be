// /progress: your own progress per lesson, your streak of days, and questions to review.
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import type { BotCommand } from "../src/bot/types.js";

export const progressCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName("progress")
    .setDescription("Your quiz progress in this server")
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.guildId) return;
    const p = bot.content.progress(ix.user.id, ix.guildId);
    const lines = p.lessons.map(
      (l) => `• **${l.title}**: ${l.seen}/${l.total} questions seen, ${l.mastered} mastered`,
    );
    const content =
      p.answered === 0
        ? "You have not answered any question here yet. Try `/finally quiz`."
        : [
            `**Your progress** · ${p.correct}/${p.answered} right · ${p.points} points`,
            ...lines,
            p.dueForReview > 0
              ? `🔁 ${p.dueForReview} missed question(s) are due for review: they come back first in your next quiz.`
              : "No missed question is waiting for review.",
          ].join("\n");
    await ix.reply({
      content: content.slice(0, 2000),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

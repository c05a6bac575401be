// /progress: your own progress per lesson, your streak of days, and the questions you missed.
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { progressText } from "../src/bot/progressView.js";
import type { BotCommand } from "../src/bot/types.js";

export const progressCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName("progress")
    .setDescription("Your quiz progress in this server: lessons, streak, missed questions")
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.guildId) return;
    // Streak days follow the server's daily-post time zone, so "today" is the day of the daily quiz.
    const timeZone = (await bot.schedule.get(ix.guildId))?.timezone ?? "UTC";
    const progress = await bot.content.progress(ix.user.id, ix.guildId, { timeZone });
    await ix.reply({
      content: progressText(progress, bot.content.lessons(), bot.clock.now()),
      flags: MessageFlags.Ephemeral,
    });
  },
};

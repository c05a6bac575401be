// /leaderboard: this server's top members by quiz points.
import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { BotCommand } from "../src/bot/types.js";

export const leaderboardCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName("leaderboard")
    .setDescription("This server's quiz leaderboard")
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.guildId) return;
    const rows = await bot.content.leaderboard(ix.guildId, 10);
    const medals = ["🥇", "🥈", "🥉"];
    const content = rows.length
      ? [
          "**Leaderboard**",
          ...rows.map(
            (r, i) =>
              `${medals[i] ?? `${i + 1}.`} <@${r.memberId}> · ${r.points} points (${r.correct}/${r.answered} right)`,
          ),
        ].join("\n")
      : "Nobody has answered a quiz in this server yet.";
    // Names are shown as mentions but nobody is pinged.
    await ix.reply({ content });
  },
};

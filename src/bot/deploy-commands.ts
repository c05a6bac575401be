// `npm run deploy-commands`: registers every command with Discord, in one server when DISCORD_GUILD_ID is
// set (instant, for development), globally otherwise. Commands come from commands/ and the lesson files.
import { REST } from "@discordjs/rest";
import { Routes } from "discord.js";
import { buildCommands } from "../../commands/index.js";
import { type BotConfig, ConfigError, loadBotConfig } from "../config.js";
import { LESSONS_DIR, loadLessons } from "../lessons/index.js";

/** Registers the commands; returns how many and where. */
export async function deployCommands(config: BotConfig, lessonsDir = LESSONS_DIR): Promise<string> {
  const lessons = await loadLessons(lessonsDir);
  // Discord's OpenAPI description types default_member_permissions as an integer in requests (the builders
  // give a string, which Discord also accepts); send what the description says.
  const body = buildCommands(lessons).map((c) =>
    typeof c.data.default_member_permissions === "string"
      ? { ...c.data, default_member_permissions: Number(c.data.default_member_permissions) }
      : c.data,
  );
  const rest = new REST({ api: config.DISCORD_API_URL }).setToken(config.DISCORD_TOKEN);
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(config.DISCORD_APPLICATION_ID, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(config.DISCORD_APPLICATION_ID);
  const saved = (await rest.put(route, { body })) as unknown[];
  const where = config.DISCORD_GUILD_ID
    ? `server ${config.DISCORD_GUILD_ID}`
    : "every server (global; may take up to an hour to appear)";
  return `Registered ${saved.length} commands in ${where}: ${body.map((c) => c.name).join(", ")}.`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    console.log(await deployCommands(loadBotConfig()));
  } catch (err) {
    const message =
      err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err);
    console.error(`deploy-commands: ${message}`);
    process.exitCode = 1;
  }
}

// /config (Manage Server by default, servers only): show the settings; lesson channels; where /run is allowed;
// the daily quiz post; the group round length. Every change is stored and acknowledged.
import {
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandChannelOption,
} from "discord.js";
import { isValidTimezone } from "../src/bot/dailyPost.js";
import type { BotCommand, BotServices } from "../src/bot/types.js";
import { RUN_MODES, type RunMode } from "../src/store/settings.js";

const RUN_MODE_TEXT: Record<RunMode, string> = {
  everywhere: "everywhere",
  lesson_channels: "only in the lesson channels",
  off: "nowhere (off)",
};

/** A required text-channel option named "channel". */
const textChannel = (description: string) => (o: SlashCommandChannelOption) =>
  o.setName("channel").setDescription(description).setRequired(true).addChannelTypes(ChannelType.GuildText);

export const configCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName("config")
    .setDescription("Server settings of the tutor bot")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) => s.setName("show").setDescription("Show this server's settings"))
    .addSubcommandGroup((g) =>
      g
        .setName("lesson-channels")
        .setDescription("Channels for lessons: group rounds, and /run when limited to them")
        .addSubcommand((s) =>
          s
            .setName("add")
            .setDescription("Add a lesson channel")
            .addChannelOption(textChannel("The channel")),
        )
        .addSubcommand((s) =>
          s
            .setName("remove")
            .setDescription("Remove a lesson channel")
            .addChannelOption(textChannel("The channel")),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("run")
        .setDescription("Where members may run code")
        .addStringOption((o) =>
          o
            .setName("where")
            .setDescription("Where /run and Run Python work")
            .setRequired(true)
            .addChoices(
              { name: "everywhere", value: "everywhere" },
              { name: "only in lesson channels", value: "lesson_channels" },
              { name: "off", value: "off" },
            ),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("daily")
        .setDescription("Post a group quiz every day")
        .addChannelOption(textChannel("Where to post"))
        .addStringOption((o) =>
          o.setName("time").setDescription("Local time, HH:MM (24-hour)").setRequired(true),
        )
        .addStringOption((o) =>
          o
            .setName("timezone")
            .setDescription("Time zone, e.g. Europe/Paris (default UTC)")
            .setRequired(false),
        )
        .addStringOption((o) =>
          o.setName("lesson").setDescription("Lesson id (default: the first lesson)").setRequired(false),
        ),
    )
    .addSubcommand((s) => s.setName("daily-off").setDescription("Stop the daily quiz post"))
    .addSubcommand((s) =>
      s
        .setName("round-length")
        .setDescription("How long a group round lasts")
        .addIntegerOption((o) =>
          o.setName("seconds").setDescription("10 to 600").setRequired(true).setMinValue(10).setMaxValue(600),
        ),
    )
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.isChatInputCommand()) return;
    const say = (content: string) => ix.reply({ content, flags: MessageFlags.Ephemeral });
    if (!ix.inGuild()) return void (await say("/config works in a server."));
    // Discord hides the command from members without Manage Server, but a server can override that: check again.
    if (!ix.memberPermissions.has(PermissionFlagsBits.ManageGuild))
      return void (await say(
        "Only members with the Manage Server permission can change the tutor's settings.",
      ));
    await say(await applyConfig(ix, bot));
  },
};

async function applyConfig(
  ix: ChatInputCommandInteraction<"cached" | "raw">,
  bot: BotServices,
): Promise<string> {
  const guildId = ix.guildId;
  const group = ix.options.getSubcommandGroup(false);
  const sub = ix.options.getSubcommand();
  if (group === "lesson-channels") {
    const channel = ix.options.getChannel("channel", true);
    if (sub === "add")
      return (await bot.settings.addLessonChannel(guildId, channel.id))
        ? `✅ <#${channel.id}> is now a lesson channel.`
        : `<#${channel.id}> was already a lesson channel.`;
    return (await bot.settings.removeLessonChannel(guildId, channel.id))
      ? `✅ <#${channel.id}> is no longer a lesson channel.`
      : `<#${channel.id}> was not a lesson channel.`;
  }
  if (sub === "run") {
    const where = ix.options.getString("where", true) as RunMode;
    if (!RUN_MODES.includes(where)) return "Choose everywhere, only in lesson channels, or off.";
    await bot.settings.setRunMode(guildId, where);
    const hint =
      where === "lesson_channels" && (await bot.settings.get(guildId)).lessonChannels.length === 0
        ? " There are no lesson channels yet: add one with /config lesson-channels add."
        : "";
    return `✅ Code can now be run ${RUN_MODE_TEXT[where]}.${hint}`;
  }
  if (sub === "daily") {
    const channel = ix.options.getChannel("channel", true);
    const time = ix.options.getString("time", true).trim();
    const timezone = (ix.options.getString("timezone") ?? "UTC").trim();
    const lessonId = ix.options.getString("lesson") ?? bot.content.lessons()[0]?.id;
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
    if (!m) return `"${time}" is not a time: use HH:MM, 24-hour (for example 18:30).`;
    if (!isValidTimezone(timezone))
      return `"${timezone}" is not a time zone I know: use a name like Europe/Paris or UTC.`;
    const lesson = bot.content.lessons().find((l) => l.id === lessonId || l.command === lessonId);
    if (!lesson)
      return `There is no lesson "${lessonId}". Lessons: ${bot.content
        .lessons()
        .map((l) => l.id)
        .join(", ")}.`;
    const hhmm = `${m[1]?.padStart(2, "0")}:${m[2]}`;
    await bot.schedule.set({ guildId, channelId: channel.id, time: hhmm, timezone, lessonId: lesson.id });
    return `✅ A group quiz on ${lesson.title} will be posted in <#${channel.id}> every day at ${hhmm} (${timezone}).`;
  }
  if (sub === "daily-off")
    return (await bot.schedule.remove(guildId))
      ? "✅ The daily quiz post is off."
      : "There was no daily quiz post.";
  if (sub === "round-length") {
    const seconds = ix.options.getInteger("seconds", true);
    await bot.settings.setRoundSeconds(guildId, seconds);
    return `✅ Group rounds now last ${seconds} s.`;
  }
  return showConfig(guildId, bot);
}

export async function showConfig(guildId: string, bot: BotServices): Promise<string> {
  const [s, daily] = await Promise.all([bot.settings.get(guildId), bot.schedule.get(guildId)]);
  return [
    "**Tutor settings for this server**",
    `• Lesson channels: ${s.lessonChannels.length ? s.lessonChannels.map((c) => `<#${c}>`).join(", ") : "none"}`,
    `• Running code: ${RUN_MODE_TEXT[s.runMode]}`,
    `• Group round length: ${s.roundSeconds ?? bot.config.GROUP_ROUND_SECONDS} s${s.roundSeconds === null ? " (default)" : ""}`,
    `• Daily quiz: ${daily ? `${daily.lessonId} in <#${daily.channelId}> at ${daily.time} (${daily.timezone})` : "off"}`,
    `• /run cooldown: ${bot.config.RUN_COOLDOWN_SECONDS} s per member`,
    `• Sandbox: ${bot.sandboxStatus().summary}`,
  ].join("\n");
}

// /run: opens the code modal, or with `file:` runs an attached .py file.
import { InteractionContextType, MessageFlags, SlashCommandBuilder } from "discord.js";
import { readPyAttachment, runAndReply, runModal, runRefusal } from "../src/bot/runFlow.js";
import type { BotCommand } from "../src/bot/types.js";

export const runCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName("run")
    .setDescription("Run Python code in a sandbox and see which try/except/else/finally clauses ran")
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) =>
      o.setName("file").setDescription("A .py file to run (otherwise a box opens for your code)"),
    )
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.isChatInputCommand()) return;
    const file = ix.options.getAttachment("file");
    if (file) return await runAndReply(ix, bot, () => readPyAttachment(file), "", `/run ${file.name}`);
    // Say "not here" before the member types a whole program into the modal.
    const refusal = await runRefusal(bot, ix.guildId, ix.channelId);
    if (refusal) return void (await ix.reply({ content: refusal, flags: MessageFlags.Ephemeral }));
    await ix.showModal(runModal());
  },
};

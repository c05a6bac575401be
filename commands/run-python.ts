// The message command "Run Python": runs the first Python code block of a message, or its .py attachment.
// The interaction carries the resolved message, so the bot needs no Message Content intent.
import {
  ApplicationCommandType,
  ContextMenuCommandBuilder,
  InteractionContextType,
  MessageFlags,
} from "discord.js";
import { firstCodeBlock, readPyAttachment, runAndReply } from "../src/bot/runFlow.js";
import type { BotCommand } from "../src/bot/types.js";

export const runPythonCommand: BotCommand = {
  data: new ContextMenuCommandBuilder()
    .setName("Run Python")
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild)
    .toJSON(),
  async execute(ix, bot) {
    if (!ix.isMessageContextMenuCommand()) return;
    const message = ix.targetMessage;
    const block = firstCodeBlock(message.content);
    const py = message.attachments.find((a) => a.name.toLowerCase().endsWith(".py"));
    if (block === null && !py)
      return void (await ix.reply({
        content: "That message has no Python code block (```py … ```) and no .py attachment.",
        flags: MessageFlags.Ephemeral,
      }));
    const source = block ?? (py ? () => readPyAttachment(py) : "");
    await runAndReply(ix, bot, source, "", "Run Python");
  },
};

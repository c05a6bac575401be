// /run, "Run Python", .py attachments and the reply buttons: one flow from the member's code to the reply.
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { customId } from "./customId.js";
import { FirstAnswer } from "./firstAnswer.js";
import { formatRun } from "./format.js";
import { type BotServices, type ComponentHandler, StaleComponentError } from "./types.js";

export const CODE_MAX = 4000;
export const ATTACHMENT_MAX_BYTES = 64 * 1024;
const NO_MENTIONS = { parse: [] as never[] };

type RunInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction
  | ButtonInteraction;

/** Where /run may be used in this channel; null when allowed, else the reason to show. */
export function runRefusal(bot: BotServices, guildId: string | null, channelId: string): string | null {
  if (!guildId) return null;
  const s = bot.settings.get(guildId);
  if (s.runMode === "off")
    return "Running code is turned off in this server (a moderator can change it with /config run).";
  if (s.runMode === "lesson_channels" && !s.lessonChannels.includes(channelId)) {
    const where = s.lessonChannels.map((c) => `<#${c}>`).join(", ");
    return where
      ? `Running code is allowed only in the lesson channels: ${where}.`
      : "Running code is allowed only in lesson channels, and none are set yet (a moderator can add one with /config).";
  }
  return null;
}

/** The modal for /run and "Edit & run"; `runId` pre-fills it from an earlier run. */
export function runModal(prefill?: { code: string; stdin: string }): ModalBuilder {
  const code = new TextInputBuilder()
    .setCustomId("code")
    .setLabel("Python code")
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(CODE_MAX)
    .setRequired(true)
    .setPlaceholder('try:\n    print(1 / 0)\nfinally:\n    print("finally runs")');
  const stdin = new TextInputBuilder()
    .setCustomId("stdin")
    .setLabel("Input for input() (optional)")
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(CODE_MAX)
    .setRequired(false);
  if (prefill) {
    code.setValue(prefill.code.slice(0, CODE_MAX));
    if (prefill.stdin) stdin.setValue(prefill.stdin.slice(0, CODE_MAX));
  }
  return new ModalBuilder()
    .setCustomId(customId("runmodal"))
    .setTitle("Run Python")
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(code),
      new ActionRowBuilder<TextInputBuilder>().addComponents(stdin),
    );
}

/** The first ```py / ```python (or bare ```) code block of a message. */
export function firstCodeBlock(text: string): string | null {
  const fences = [...text.matchAll(/```([a-zA-Z0-9+-]*)[ \t]*\n([\s\S]*?)```/g)];
  const py = fences.find((m) => ["py", "python", "python3"].includes((m[1] ?? "").toLowerCase()));
  const pick = py ?? fences.find((m) => (m[1] ?? "") === "");
  return pick ? (pick[2] ?? "") : null;
}

/** Downloads a .py attachment (bounded), or explains why not. */
export async function readPyAttachment(att: {
  name: string;
  size: number;
  url: string;
}): Promise<{ code: string } | { error: string }> {
  if (!att.name.toLowerCase().endsWith(".py")) return { error: `${att.name} is not a .py file.` };
  if (att.size > ATTACHMENT_MAX_BYTES)
    return { error: `${att.name} is larger than ${ATTACHMENT_MAX_BYTES / 1024} KiB.` };
  const res = await fetch(att.url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) return { error: `Could not download ${att.name} (HTTP ${res.status}).` };
  const code = (await res.text()).slice(0, ATTACHMENT_MAX_BYTES);
  return { code };
}

function replyButtons(runId: number, disabled = false): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(customId("run", "again", runId))
      .setLabel("Re-run")
      .setStyle(ButtonStyle.Primary)
      .setDisabled(disabled),
    new ButtonBuilder()
      .setCustomId(customId("run", "edit", runId))
      .setLabel("Edit & run")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(disabled),
    new ButtonBuilder()
      .setCustomId(customId("run", "delete", runId))
      .setLabel("Delete")
      .setStyle(ButtonStyle.Danger)
      .setDisabled(disabled),
  );
}

async function sayEphemeral(ix: RunInteraction, content: string): Promise<void> {
  await ix.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
}

/** Checks the channel and the cooldown; answers (ephemeral) and returns false when the run may not go ahead. */
export async function mayRun(ix: RunInteraction, bot: BotServices): Promise<boolean> {
  const refusal = runRefusal(bot, ix.guildId, ix.channelId ?? "");
  if (refusal) {
    await sayEphemeral(ix, refusal);
    return false;
  }
  const wait = await bot.cooldowns.take(ix.user.id);
  if (wait > 0) {
    await sayEphemeral(ix, `Easy there! You can run code again in ${wait} s.`);
    return false;
  }
  return true;
}

export type CodeSource = string | (() => Promise<{ code: string } | { error: string }>);

/**
 * The whole run: checks, reading the code if it is an attachment, the sandboxed run with queue positions,
 * then the reply with its buttons: directly when the run is quick, else after a deferral (firstAnswer.ts).
 */
export async function runAndReply(
  ix: RunInteraction,
  bot: BotServices,
  source: CodeSource,
  stdin: string,
  label: string,
): Promise<void> {
  if (!(await mayRun(ix, bot))) return;
  const answer = new FirstAnswer(ix);
  try {
    await runAndAnswer(ix, bot, source, stdin, label, answer);
  } catch (err) {
    // Settle a deferral in flight first, so the router's apology edits it instead of racing it.
    await answer.settle();
    throw err;
  }
}

async function runAndAnswer(
  ix: RunInteraction,
  bot: BotServices,
  source: CodeSource,
  stdin: string,
  label: string,
  answer: FirstAnswer,
): Promise<void> {
  const loaded = typeof source === "string" ? { code: source } : await source();
  if ("error" in loaded) {
    await answer.send({ content: `🚫 ${loaded.error}`, allowedMentions: NO_MENTIONS });
    return;
  }
  const code = loaded.code;
  if (code.trim().length === 0) {
    await answer.send({ content: "🚫 There is no code to run.", allowedMentions: NO_MENTIONS });
    return;
  }
  const runId = bot.runs.add(
    { guildId: ix.guildId, channelId: ix.channelId ?? "", userId: ix.user.id, code, stdin },
    bot.clock.now(),
  );
  let lastShown = -1;
  let pending: Promise<unknown> = Promise.resolve();
  const result = await bot.runCode({
    code,
    stdin,
    ownerId: ix.user.id,
    onQueue: (position) => {
      if (position <= 0 || position === lastShown) return;
      lastShown = position;
      // Waiting in the queue: defer at once, and show the position.
      pending = pending
        .then(() => answer.defer())
        .then(() =>
          ix.editReply({
            content: `⏳ Waiting to run: position ${position} in the queue.`,
            allowedMentions: NO_MENTIONS,
          }),
        )
        .catch((err: unknown) => bot.logger.warn({ err }, "queue position update failed"));
    },
  });
  await pending;
  const out = formatRun(result, `-# ${label} by <@${ix.user.id}>`);
  await answer.send({
    content: out.content,
    files: out.file ? [new AttachmentBuilder(out.file.data, { name: out.file.name })] : [],
    components: [replyButtons(runId)],
    allowedMentions: NO_MENTIONS,
  });
}

/** Buttons under a run reply: Re-run, Edit & run (pre-filled modal), Delete (author or moderators). */
export const runButtons: ComponentHandler = {
  kind: "run",
  async handle(ix, args, bot) {
    const [action, id] = args;
    const record = bot.runs.get(Number(id));
    if (!record || !ix.isButton()) throw new StaleComponentError(`run ${id} not found`);
    if (action === "again") return await runAndReply(ix, bot, record.code, record.stdin, "Re-run");
    if (action === "edit") return await ix.showModal(runModal(record));
    if (action === "delete") {
      const moderator = ix.memberPermissions?.has(PermissionFlagsBits.ManageMessages) ?? false;
      if (record.userId !== ix.user.id && !moderator)
        return await sayEphemeral(ix, "Only the member who ran this code (or a moderator) can delete it.");
      await ix.deferUpdate();
      await ix.deleteReply();
      return;
    }
    throw new StaleComponentError(`unknown run action ${action}`);
  },
};

/** The /run modal (new code, or edited code from "Edit & run"). */
export const runModalSubmit: ComponentHandler = {
  kind: "runmodal",
  async handle(ix, _args, bot) {
    if (!ix.isModalSubmit()) throw new StaleComponentError("not a modal");
    const code = ix.fields.getTextInputValue("code");
    const stdin = ix.fields.fields.has("stdin") ? ix.fields.getTextInputValue("stdin") : "";
    await runAndReply(ix, bot, code, stdin, "/run");
  },
};

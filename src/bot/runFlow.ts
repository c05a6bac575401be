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
import { flowReportOf } from "../picture/index.js";
import { codeText } from "../sandbox/types.js";
import { componentHandler } from "./customId.js";
import { TEXT_INPUT_MAX } from "./discordLimits.js";
import { FirstAnswer } from "./firstAnswer.js";
import { FLOW_BUTTON_LABEL, flowAttachment, worthAPicture } from "./flowPicture.js";
import { formatRun } from "./format.js";
import { type BotServices, StaleComponentError } from "./types.js";

export const ATTACHMENT_MAX_BYTES = 64 * 1024;

type RunInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction
  | ButtonInteraction;

/** Where /run may be used in this channel; null when allowed, else the reason to show. */
export async function runRefusal(
  bot: BotServices,
  guildId: string | null,
  channelId: string,
): Promise<string | null> {
  if (!guildId) return null;
  const s = await bot.settings.get(guildId);
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
    .setMaxLength(TEXT_INPUT_MAX)
    .setRequired(true)
    .setPlaceholder('try:\n    print(1 / 0)\nfinally:\n    print("finally runs")');
  const stdin = new TextInputBuilder()
    .setCustomId("stdin")
    .setLabel("Input for input() (optional)")
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(TEXT_INPUT_MAX)
    .setRequired(false);
  if (prefill) {
    code.setValue(prefill.code.slice(0, TEXT_INPUT_MAX));
    if (prefill.stdin) stdin.setValue(prefill.stdin.slice(0, TEXT_INPUT_MAX));
  }
  return new ModalBuilder()
    .setCustomId(runModalSubmit.id())
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

/** Downloads a .py attachment (bounded) as bytes, which Python decodes as it reads a file (PEP 263), or
 *  explains why not. */
export async function readPyAttachment(att: {
  name: string;
  size: number;
  url: string;
}): Promise<{ code: Uint8Array } | { error: string }> {
  if (!att.name.toLowerCase().endsWith(".py")) return { error: `${att.name} is not a .py file.` };
  if (att.size > ATTACHMENT_MAX_BYTES)
    return { error: `${att.name} is larger than ${ATTACHMENT_MAX_BYTES / 1024} KiB.` };
  const res = await fetch(att.url, { signal: AbortSignal.timeout(2000) });
  if (!res.ok) return { error: `Could not download ${att.name} (HTTP ${res.status}).` };
  const code = Buffer.from(await res.arrayBuffer()).subarray(0, ATTACHMENT_MAX_BYTES);
  return { code };
}

/** Re-run, Edit & run, Delete; and "🖼 Flow" while the run has a picture not yet posted. */
function replyButtons(runId: number, withFlow: boolean): ActionRowBuilder<ButtonBuilder> {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(runButtons.id("again", runId))
      .setLabel("Re-run")
      .setStyle(ButtonStyle.Primary),
    new ButtonBuilder()
      .setCustomId(runButtons.id("edit", runId))
      .setLabel("Edit & run")
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(runButtons.id("delete", runId))
      .setLabel("Delete")
      .setStyle(ButtonStyle.Danger),
  );
  if (withFlow)
    row.addComponents(
      new ButtonBuilder()
        .setCustomId(runButtons.id("flow", runId))
        .setLabel(FLOW_BUTTON_LABEL)
        .setStyle(ButtonStyle.Secondary),
    );
  return row;
}

async function sayEphemeral(ix: RunInteraction, content: string): Promise<void> {
  await ix.reply({ content, flags: MessageFlags.Ephemeral });
}

/** Checks the channel and the cooldown; answers (ephemeral) and returns false when the run may not go ahead. */
export async function mayRun(ix: RunInteraction, bot: BotServices): Promise<boolean> {
  const refusal = await runRefusal(bot, ix.guildId, ix.channelId ?? "");
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

/** Text, a file's bytes (a .py attachment, or its stored copy for Re-run), or an attachment still to fetch. */
export type CodeSource =
  | string
  | Uint8Array
  | (() => Promise<{ code: string | Uint8Array } | { error: string }>);

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
  const loaded = typeof source === "function" ? await source() : { code: source };
  if ("error" in loaded) {
    await answer.send({ content: `🚫 ${loaded.error}` });
    return;
  }
  const code = loaded.code;
  if (codeText(code).trim().length === 0) {
    await answer.send({ content: "🚫 There is no code to run." });
    return;
  }
  const runId = await bot.runs.add(
    { guildId: ix.guildId, channelId: ix.channelId ?? "", userId: ix.user.id, code, stdin },
    bot.clock.now(),
  );
  let lastShown = -1;
  let pending: Promise<unknown> = Promise.resolve();
  // Waiting (in the queue, or for the sandbox's first self-check): defer at once, and say why.
  const showWaiting = (content: string) => {
    pending = pending
      .then(() => answer.defer())
      .then(() => ix.editReply({ content }))
      .catch((err: unknown) => bot.logger.warn({ err }, "waiting update failed"));
  };
  const result = await bot.runCode({
    code,
    stdin,
    ownerId: ix.user.id,
    onStartingUp: () =>
      showWaiting(
        "⏳ Starting up: the bot has just started and is checking its sandbox. Your run starts in a moment.",
      ),
    onQueue: (position) => {
      if (position <= 0 || position === lastShown) return;
      lastShown = position;
      showWaiting(`⏳ Waiting to run: position ${position} in the queue.`);
    },
  });
  await pending;
  // Kept with the run: the picture is drawn from it when asked for, after a restart too, never by running again.
  const flow = flowReportOf(result);
  const withFlow = worthAPicture(flow);
  if (withFlow) await bot.runs.setFlow(runId, flow);
  const out = formatRun(result, `-# ${label} by <@${ix.user.id}>`);
  await answer.send({
    content: out.content,
    embeds: out.embeds,
    files: out.file ? [new AttachmentBuilder(out.file.data, { name: out.file.name })] : [],
    components: [replyButtons(runId, withFlow)],
  });
}

/** Buttons under a run reply: Re-run, Edit & run (pre-filled modal), Delete (author or moderators). */
export const runButtons = componentHandler<[action: "again" | "edit" | "delete" | "flow", runId: number]>({
  kind: "run",
  async handle(ix, args, bot) {
    const [action, id] = args;
    const record = await bot.runs.get(Number(id));
    if (!record || !ix.isButton()) throw new StaleComponentError(`run ${id} not found`);
    if (action === "again") return await runAndReply(ix, bot, record.code, record.stdin, "Re-run");
    if (action === "edit")
      return await ix.showModal(runModal({ code: codeText(record.code), stdin: record.stdin }));
    if (action === "flow") return await postFlow(ix, bot, record.id, codeText(record.code));
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
});

/**
 * "🖼 Flow" (anyone may press it): the picture joins the reply itself, once, and the button goes; every
 * attachment already there (output.txt) stays.
 */
async function postFlow(
  ix: ButtonInteraction,
  bot: BotServices,
  runId: number,
  source: string,
): Promise<void> {
  const flow = await bot.runs.flow(runId);
  if (!worthAPicture(flow)) throw new StaleComponentError(`run ${runId} has no picture`);
  await ix.deferUpdate();
  const picture = await flowAttachment(bot.pictures, flow, source);
  await ix.editReply({
    files: [picture],
    attachments: [...ix.message.attachments.values()],
    components: [replyButtons(runId, false)],
  });
}

/** The /run modal (new code, or edited code from "Edit & run"). */
export const runModalSubmit = componentHandler<[]>({
  kind: "runmodal",
  async handle(ix, _args, bot) {
    if (!ix.isModalSubmit()) throw new StaleComponentError("not a modal");
    const code = ix.fields.getTextInputValue("code");
    const stdin = ix.fields.fields.has("stdin") ? ix.fields.getTextInputValue("stdin") : "";
    await runAndReply(ix, bot, code, stdin, "/run");
  },
});

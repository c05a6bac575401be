// Questions from the study group's own code: /quiz create (a modal, two sandbox runs, a private preview with
// Post as group round / Add to this server's questions / Discard), /quiz bank (list, remove) and /quiz export
// (a lesson file). Who may make them: Manage Server, or the role /config quiz names.
import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  type ChatInputCommandInteraction,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  PermissionFlagsBits,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import type { Lesson, QuestionKind } from "../lessons/types.js";
import { misconception } from "../misconceptions/catalogue.js";
import type { Derived } from "../quiz/derivation.js";
import { DEFAULT_PROMPTS, type Draft, draftQuestion, serverQuestion } from "../serverQuestions/draft.js";
import { exportLesson } from "../serverQuestions/exportLesson.js";
import type { ServerQuestionRow } from "../store/serverQuestionStore.js";
import { componentHandler } from "./customId.js";
import { MESSAGE_CONTENT_MAX, NO_MENTIONS, TEXT_INPUT_MAX } from "./discordLimits.js";
import { clip, codeBlock } from "./format.js";
import { type BotServices, StaleComponentError } from "./types.js";

export const KINDS: QuestionKind[] = ["whole_output", "first_line", "escapes", "clauses"];
/** At most this many questions are listed by /quiz bank (the rest are counted). */
export const BANK_SHOWN = 15;

const keyOf = (row: { id: number; lessonId: string }) => `${row.lessonId}/g${row.id}`;

/** Puts every posted or banked server question into play (at start-up: rounds may refer to them). */
export async function loadServerQuestions(
  bot: Pick<BotServices, "serverQuestions" | "content">,
): Promise<void> {
  for (const row of await bot.serverQuestions.playable()) play(bot, row);
}

function play(bot: Pick<BotServices, "content">, row: ServerQuestionRow): void {
  const question = serverQuestion({
    key: keyOf(row),
    lessonId: row.lessonId,
    kind: row.kind,
    code: row.code,
    prompt: row.prompt,
  });
  bot.content.addQuestion(question, JSON.parse(row.derivedJson) as Derived, {
    guildId: row.guildId,
    drawn: row.status === "bank",
  });
}

/** Manage Server, or the role /config quiz names. */
export async function mayMakeQuestions(
  ix: ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction,
  bot: BotServices,
): Promise<boolean> {
  if (!ix.guildId) return false;
  if (ix.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const role = (await bot.serverQuestions.settings(ix.guildId)).creatorRoleId;
  const roles = ix.member?.roles;
  if (!role || !roles) return false;
  return Array.isArray(roles) ? roles.includes(role) : roles.cache.has(role);
}

export async function whoMay(bot: BotServices, guildId: string): Promise<string> {
  const role = (await bot.serverQuestions.settings(guildId)).creatorRoleId;
  return `Only members with the Manage Server permission${role ? ` or the <@&${role}> role` : ""} can make this server's questions.`;
}

/** `/quiz create kind lesson`: the modal for the code and an optional prompt. */
export async function openCreateModal(ix: ChatInputCommandInteraction, bot: BotServices): Promise<void> {
  const kind = (ix.options.getString("kind") ?? "whole_output") as QuestionKind;
  const lesson = lessonFor(bot, ix.options.getString("lesson"));
  if (!lesson) {
    await ix.reply({ content: "There is no such lesson.", flags: MessageFlags.Ephemeral });
    return;
  }
  const modal = new ModalBuilder()
    .setCustomId(createModalSubmit.id(kind, lesson.id))
    .setTitle(clip(`New question · ${lesson.title}`, 45))
    .addComponents(
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId("code")
          .setLabel("Python code (at most 30 lines)")
          .setStyle(TextInputStyle.Paragraph)
          .setRequired(true)
          .setMaxLength(TEXT_INPUT_MAX),
      ),
      new ActionRowBuilder<TextInputBuilder>().addComponents(
        new TextInputBuilder()
          .setCustomId("prompt")
          .setLabel("Question (optional)")
          .setPlaceholder(DEFAULT_PROMPTS[kind])
          .setStyle(TextInputStyle.Short)
          .setRequired(false)
          .setMaxLength(300),
      ),
    );
  await ix.showModal(modal);
}

function lessonFor(bot: BotServices, id: string | null): Lesson | undefined {
  const lessons = bot.content.lessons();
  if (!id) return lessons.find((l) => l.id === "finally") ?? lessons[0];
  return lessons.find((l) => l.id === id || l.command === id);
}

/** The private preview: the question as members will see it, the answer, the explanation and the choices. */
export function previewText(draft: Draft, lesson: Lesson): string {
  const { question, derived, choices } = draft;
  const name = (id: string) => misconception(id)?.supposing ?? id;
  const right = choices.find((c) => c.correct);
  const wrong = choices.filter((c) => !c.correct);
  const answer = derived.answer.kind === "clauses" ? derived.answer.clauses.join(", ") : (right?.text ?? "");
  const choiceLines =
    derived.answer.kind === "clauses"
      ? derived.wrong.map(
          (w) => `• ✗ ${w.text}: if ${w.misconceptions.map((m) => name(m.id)).join(", or if ")}`,
        )
      : wrong.map(
          (c) =>
            `• ✗ ${clip(c.text.replace(/\n/g, " ⏎ "), 120)}: if ${c.misconceptions.map((m) => name(m.id)).join(", or if ")}`,
        );
  return clip(
    [
      `👀 **Preview** (only you see it) · ${lesson.title} · ${question.kind}`,
      `**${question.prompt}**`,
      codeBlock(clip(question.code.source, 900), "py"),
      `**Answer:** ${codeBlock(clip(answer, 300))}`,
      `**Wrong choices, each what a misconception predicts** (a round offers ${Math.min(question.choices, choices.length) - 1}):`,
      ...choiceLines.slice(0, 6),
      `**Why:** ${clip(derived.trace, 500)}`,
    ].join("\n"),
    MESSAGE_CONTENT_MAX,
  );
}

/** The modal's answer: qc:kind:lesson. Runs the code twice, then shows the preview or the refusal. */
export const createModalSubmit = componentHandler<[kind: string, lessonId: string]>({
  kind: "qc",
  async handle(ix, args, bot) {
    if (!ix.isModalSubmit()) throw new StaleComponentError("not a modal");
    const [kind = "", lessonId = ""] = args;
    const lesson = bot.content.lessons().find((l) => l.id === lessonId);
    if (!lesson || !KINDS.includes(kind as QuestionKind))
      throw new StaleComponentError("no such lesson or kind");
    if (!ix.guildId || !(await mayMakeQuestions(ix, bot))) {
      await ix.reply({ content: await whoMay(bot, ix.guildId ?? ""), flags: MessageFlags.Ephemeral });
      return;
    }
    await ix.deferReply({ flags: MessageFlags.Ephemeral });
    const code = ix.fields.getTextInputValue("code");
    const prompt = ix.fields.getTextInputValue("prompt");
    const runner = (req: Parameters<BotServices["runCode"]>[0]) =>
      bot.runCode({ ...req, ownerId: ix.user.id });
    const result = await draftQuestion(
      { key: `${lesson.id}/draft`, lessonId: lesson.id, kind: kind as QuestionKind, code, prompt },
      runner,
    );
    if (!result.ok) {
      await ix.editReply({
        content: `❌ Not a question yet. ${result.reason}`,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
    const { draft } = result;
    const id = await bot.serverQuestions.insert({
      guildId: ix.guildId,
      authorId: ix.user.id,
      lessonId: lesson.id,
      kind: draft.question.kind,
      prompt: draft.question.prompt,
      code: draft.question.code.source,
      status: "draft",
      derivedJson: JSON.stringify(draft.derived),
      createdAt: bot.clock.now(),
    });
    const buttons = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder()
        .setCustomId(previewButtons.id(id, "post"))
        .setLabel("Post as group round")
        .setStyle(ButtonStyle.Primary),
      new ButtonBuilder()
        .setCustomId(previewButtons.id(id, "add"))
        .setLabel("Add to this server's questions")
        .setStyle(ButtonStyle.Success),
      new ButtonBuilder()
        .setCustomId(previewButtons.id(id, "discard"))
        .setLabel("Discard")
        .setStyle(ButtonStyle.Secondary),
    );
    await ix.editReply({
      content: previewText(draft, lesson),
      components: [buttons],
      allowedMentions: NO_MENTIONS,
    });
  },
});

/** The preview's buttons: qp:id:post|add|discard. */
export const previewButtons = componentHandler<[id: number, action: "post" | "add" | "discard"]>({
  kind: "qp",
  async handle(ix, args, bot) {
    if (!ix.isButton()) throw new StaleComponentError("not a button");
    const [idText = "", action = ""] = args;
    const row = await bot.serverQuestions.get(Number(idText));
    if (row?.status !== "draft" || row.guildId !== ix.guildId)
      throw new StaleComponentError(`draft ${idText} is gone`);
    if (!(await mayMakeQuestions(ix, bot))) {
      await ix.reply({ content: await whoMay(bot, row.guildId), flags: MessageFlags.Ephemeral });
      return;
    }
    const lesson = bot.content.lessons().find((l) => l.id === row.lessonId);
    if (!lesson) throw new StaleComponentError(`lesson ${row.lessonId} is gone`);
    const done = (content: string) => ix.update({ content, components: [], allowedMentions: NO_MENTIONS });
    if (action === "discard") {
      await bot.serverQuestions.remove(row.id);
      await done("🗑️ Discarded: the question was not kept.");
      return;
    }
    if (action === "add") {
      await bot.serverQuestions.setStatus(row.id, "bank");
      play(bot, { ...row, status: "bank" });
      const mixed = (await bot.serverQuestions.settings(row.guildId)).mixServerQuestions;
      await done(
        `✅ Added to this server's questions as **#${row.id}**: \`/${lesson.command} quiz source:server\`${mixed ? ` (and every /${lesson.command} quiz, mixed in)` : ""} asks it. \`/quiz bank\` lists them.`,
      );
      return;
    }
    if (action === "post") {
      const channelId = ix.channelId;
      const refusal = channelId
        ? await bot.groupRounds.refusal(row.guildId, channelId)
        : "Group rounds happen in a channel.";
      if (refusal || !channelId) {
        await ix.reply({
          content: refusal ?? "Group rounds happen in a channel.",
          flags: MessageFlags.Ephemeral,
        });
        return;
      }
      await bot.serverQuestions.setStatus(row.id, "posted");
      play(bot, { ...row, status: "posted" });
      await done("✅ Posted as a group round in this channel.");
      await bot.groupRounds.startInChannel(
        row.guildId,
        channelId,
        lesson,
        `🛠️ A question from this server, by <@${row.authorId}>\n`,
        { key: keyOf(row) },
      );
      return;
    }
    throw new StaleComponentError(`unknown action ${action}`);
  },
});

/** `/quiz bank [remove]`: this server's questions, or remove one. */
export async function showBank(ix: ChatInputCommandInteraction, bot: BotServices): Promise<void> {
  const guildId = ix.guildId as string;
  const say = (content: string) =>
    ix.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  const remove = ix.options.getInteger("remove");
  if (remove !== null) {
    const row = await bot.serverQuestions.get(remove);
    if (!row || row.guildId !== guildId || row.status !== "bank")
      return void (await say(`This server has no question #${remove}. \`/quiz bank\` lists them.`));
    await bot.serverQuestions.remove(row.id);
    bot.content.removeQuestion(keyOf(row));
    return void (await say(`✅ Removed question #${row.id} from this server's questions.`));
  }
  const rows = await bot.serverQuestions.list(guildId, ["bank"]);
  if (rows.length === 0)
    return void (await say("This server has no questions of its own yet: make one with `/quiz create`."));
  const lines = rows.slice(0, BANK_SHOWN).map((r) => {
    const lesson = bot.content.lessons().find((l) => l.id === r.lessonId);
    return `• **#${r.id}** · /${lesson?.command ?? r.lessonId} · ${r.kind} · ${clip(r.prompt, 70)} · by <@${r.authorId}>`;
  });
  const more = rows.length > BANK_SHOWN ? [`…and ${rows.length - BANK_SHOWN} more.`] : [];
  await say(
    clip(
      [
        `**This server's questions** (${rows.length}): remove one with \`/quiz bank remove:ID\`.`,
        ...lines,
        ...more,
      ].join("\n"),
      MESSAGE_CONTENT_MAX,
    ),
  );
}

/** `/quiz export`: the server's questions as a lesson file, to contribute a good one back. */
export async function exportBank(ix: ChatInputCommandInteraction, bot: BotServices): Promise<void> {
  const guildId = ix.guildId as string;
  const rows = await bot.serverQuestions.list(guildId, ["bank"]);
  if (rows.length === 0) {
    await ix.reply({
      content: "This server has no questions of its own to export yet: make one with `/quiz create`.",
      flags: MessageFlags.Ephemeral,
    });
    return;
  }
  const text = exportLesson(
    ix.guild?.name ?? "this server",
    rows.map((r) => ({
      id: r.id,
      lessonId: r.lessonId,
      kind: r.kind,
      prompt: r.prompt,
      hint: serverQuestion({ key: keyOf(r), lessonId: r.lessonId, kind: r.kind, code: r.code }).hint,
      code: r.code,
    })),
    bot.content.lessons(),
  );
  await ix.reply({
    content: `📄 ${rows.length} question(s) as a lesson file. Put it in \`lessons/\` and run \`npx tutor lessons check\`.`,
    files: [new AttachmentBuilder(Buffer.from(text, "utf8"), { name: "server-questions.md" })],
    flags: MessageFlags.Ephemeral,
  });
}

/** `/config quiz`: who may make questions, and whether quizzes mix them in. */
export async function applyQuizConfig(ix: ChatInputCommandInteraction, bot: BotServices): Promise<string> {
  const guildId = ix.guildId as string;
  const role = ix.options.getRole("creator-role");
  const clear = ix.options.getBoolean("clear-role");
  const where = ix.options.getString("server-questions");
  if (!role && !clear && !where) return await quizConfigLine(guildId, bot);
  await bot.serverQuestions.setSettings(guildId, {
    ...(role ? { creatorRoleId: role.id } : clear ? { creatorRoleId: null } : {}),
    ...(where ? { mixServerQuestions: where === "mixed" } : {}),
  });
  return `✅ ${(await quizConfigLine(guildId, bot)).replace(/^• /, "")}`;
}

export async function quizConfigLine(
  guildId: string,
  bot: Pick<BotServices, "serverQuestions">,
): Promise<string> {
  const s = await bot.serverQuestions.settings(guildId);
  const who = s.creatorRoleId ? `Manage Server or <@&${s.creatorRoleId}>` : "Manage Server";
  const where = s.mixServerQuestions ? "mixed into every quiz" : "asked with source:server";
  return `• Server questions: made by ${who}; ${where}`;
}

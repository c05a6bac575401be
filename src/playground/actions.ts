// What the page may ask, checked (zod) and carried out on the local Discord as the member it acts as: send a
// message or a slash command, click, pick, submit or close a modal, use a message command, reset. The local
// Discord refuses what Discord's client would not allow; those refusals come back as one readable line.
import { z } from "zod";
import type { LocalDiscord } from "../localDiscord/server.js";
import { mayUse } from "../localDiscord/server.js";
import { parseSlash, type SlashCommand } from "./slashText.js";
import type { PageAction } from "./viewTypes.js";

const id = z.string().regex(/^\d{1,25}$/);
const member = z.string().min(1).max(32);
/** Discord's own limits: a message is at most 2000 characters, an upload here at most 8 MiB. */
const fileSchema = z.object({
  filename: z.string().min(1).max(200),
  base64: z.string().max(Math.ceil((8 * 1024 * 1024 * 4) / 3)),
});

const actionSchema: z.ZodType<PageAction> = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("send"),
    as: member,
    channelId: id,
    text: z.string().max(2000),
    file: fileSchema.optional(),
  }),
  z.object({ kind: z.literal("click"), as: member, messageId: id, customId: z.string().max(100) }),
  z.object({
    kind: z.literal("select"),
    as: member,
    messageId: id,
    customId: z.string().max(100),
    values: z.array(z.string().max(100)).max(25),
  }),
  z.object({
    kind: z.literal("submitModal"),
    as: member,
    interactionId: id,
    values: z.record(z.string().max(100), z.string().max(4000)),
  }),
  z.object({ kind: z.literal("closeModal"), as: member, interactionId: id }),
  z.object({ kind: z.literal("messageCommand"), as: member, messageId: id, name: z.string().max(32) }),
  z.object({ kind: z.literal("reset") }),
]);

export type ActionResult = { ok: true } | { ok: false; error: string };

export interface ActionContext {
  local: LocalDiscord;
  closedModals: Set<string>;
  reset(): Promise<void>;
}

export async function runAction(ctx: ActionContext, input: unknown): Promise<ActionResult> {
  const parsed = actionSchema.safeParse(input);
  if (!parsed.success)
    return { ok: false, error: "The page sent a request the playground does not understand." };
  try {
    return await perform(ctx, parsed.data);
  } catch (err) {
    // The local Discord's refusals ("stand-in: bob cannot see that ephemeral message") are plain sentences.
    const message = err instanceof Error ? err.message.replace(/^stand-in: /, "") : String(err);
    return { ok: false, error: message.charAt(0).toUpperCase() + message.slice(1) };
  }
}

async function perform(ctx: ActionContext, a: PageAction): Promise<ActionResult> {
  const { local } = ctx;
  if (a.kind === "reset") {
    await ctx.reset();
    return { ok: true };
  }
  const user = local.user(a.as);
  const message = (messageId: string) => {
    const m = local.messages.get(messageId);
    if (!m || m.deleted) throw new Error("That message was deleted.");
    return m;
  };
  switch (a.kind) {
    case "send":
      return send(local, a);
    case "click":
      local.click(message(a.messageId), a.customId, user.username);
      return { ok: true };
    case "select":
      local.select(message(a.messageId), a.customId, a.values, user.username);
      return { ok: true };
    case "messageCommand":
      local.messageCommand(a.name, message(a.messageId), user.username);
      return { ok: true };
    case "closeModal":
      ctx.closedModals.add(a.interactionId);
      local.emit("change");
      return { ok: true };
    case "submitModal": {
      const opener = local.interactions.get(a.interactionId);
      if (!opener || opener.user.id !== user.id || ctx.closedModals.has(a.interactionId))
        return { ok: false, error: "That form is no longer open." };
      ctx.closedModals.add(a.interactionId);
      local.submitModal(opener, a.values);
      return { ok: true };
    }
  }
}

function send(local: LocalDiscord, a: Extract<PageAction, { kind: "send" }>): ActionResult {
  const file = a.file
    ? { filename: a.file.filename, content: Buffer.from(a.file.base64, "base64") }
    : undefined;
  if (!local.channelName(a.channelId)) return { ok: false, error: "No such channel." };
  if (!a.text.startsWith("/")) {
    if (a.text.trim() === "" && !file) return { ok: false, error: "Type a message first." };
    local.postMessage(a.as, a.text, { channel: a.channelId, files: file ? [file] : [] });
    return { ok: true };
  }
  const user = local.user(a.as);
  // Only what Discord would show this member: a command they lack the permissions for does not exist for them.
  const commands = [...local.commands.guild, ...local.commands.global].filter(
    (c) => c.type === 1 && mayUse(c, user),
  ) as SlashCommand[];
  const channels = Object.fromEntries(
    Object.values(local.channels).map((channelId) => [local.channelName(channelId) ?? channelId, channelId]),
  );
  const parsed = parseSlash(a.text, commands, channels);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  if (parsed.attachment?.required && !file)
    return { ok: false, error: `/${parsed.path} needs a file: attach one with 📎 first.` };
  local.slash(parsed.path, {
    user: a.as,
    channel: a.channelId,
    options: parsed.options,
    ...(file && parsed.attachment ? { attachments: { [parsed.attachment.name]: file } } : {}),
  });
  return { ok: true };
}

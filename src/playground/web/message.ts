// One message as Discord shows it: author, time, text, "(edited)", "Only you can see this", the command it
// answers, attachments (images inline, files to download), embeds, buttons and select menus, and the Apps
// menu with the message commands. The message frame and parts come from @skyra/discord-components-core;
// buttons and selects are native elements styled like Discord's, so they keep their roles, names and
// disabled state for assistive technology (the library's have neither).
import type { ViewAttachment, ViewMessage } from "../viewTypes.js";
import { type Names, renderMarkdown } from "./markdown.js";
import { messageTime } from "./time.js";

export type Act = (action: Record<string, unknown>) => Promise<boolean>;

export interface MessageContext {
  names: Names;
  botName: string;
  messageCommands: string[];
  act: Act;
  avatar(id: string, name: string, bot: boolean): string;
  /** "Dismiss message" on an ephemeral message: Discord's client hides it for good. */
  dismiss(id: string): void;
  /** Interactions on this message that got no answer in 3 s ("This interaction failed"). */
  failedClicks: number;
}

interface Component {
  type: number;
  style?: number;
  label?: string;
  emoji?: { name?: string; id?: string };
  custom_id?: string;
  url?: string;
  disabled?: boolean;
  placeholder?: string;
  min_values?: number;
  max_values?: number;
  options?: {
    label: string;
    value: string;
    description?: string;
    emoji?: { name?: string };
    default?: boolean;
  }[];
  components?: Component[];
}

const BUTTON_STYLES: Record<number, string> = {
  1: "primary",
  2: "secondary",
  3: "success",
  4: "danger",
  5: "link",
};

export function renderMessage(m: ViewMessage, ctx: MessageContext): HTMLElement {
  const el = document.createElement("discord-message");
  el.setAttribute("role", "article");
  el.setAttribute("aria-label", `${m.author.name}${m.ephemeral ? " (only you can see this)" : ""}`);
  el.dataset.messageId = m.id;
  el.setAttribute("author", m.author.name);
  el.setAttribute("avatar", ctx.avatar(m.author.id, m.author.name, m.author.bot));
  if (m.author.bot) el.setAttribute("bot", "");
  if (m.ephemeral) {
    el.setAttribute("ephemeral", "");
    (el as HTMLElement & { dismissMessageClicked: () => void }).dismissMessageClicked = () =>
      ctx.dismiss(m.id);
  }
  if (m.edited) el.setAttribute("edited", "");
  el.setAttribute("timestamp", messageTime(m.createdAt));
  if (m.usedCommand) el.append(commandHeader(m.usedCommand, ctx));
  if (m.loading) {
    const thinking = document.createElement("span");
    thinking.className = "thinking";
    thinking.textContent = `${ctx.botName} is thinking`;
    el.append(thinking);
  } else el.append(renderMarkdown(m.content, ctx.names));
  if (m.embeds.length > 0) el.append(embeds(m.embeds as { title?: string; description?: string }[], ctx));
  if (m.attachments.length > 0) el.append(attachments(m.attachments));
  const rows = (m.components as Component[]).filter((c) => c.type === 1);
  if (rows.length > 0 || ctx.failedClicks > 0) {
    const slot = document.createElement("div");
    slot.slot = "components";
    for (const row of rows) slot.append(actionRow(row, m, ctx));
    if (ctx.failedClicks > 0) {
      const failed = document.createElement("div");
      failed.className = "failed-click";
      failed.setAttribute("role", "status");
      failed.textContent = "This interaction failed";
      slot.append(failed);
    }
    el.append(slot);
  }
  if (ctx.messageCommands.length > 0) el.append(appsMenu(m, ctx));
  return el;
}

/** "Alice used /finally quiz" (or "Bob used Run Python › Alice") above a reply, as Discord shows it. */
export function commandHeader(
  used: NonNullable<ViewMessage["usedCommand"]>,
  ctx: Pick<MessageContext, "avatar">,
): HTMLElement {
  const header = document.createElement("discord-command");
  header.slot = "reply";
  header.setAttribute("author", used.user);
  header.setAttribute("avatar", ctx.avatar(used.user, used.user, false));
  header.setAttribute("command", used.command);
  const slash = used.command.startsWith("/");
  header.setAttribute("type", slash ? "slash_command" : "message_command");
  if (!slash && used.targetAuthor) {
    header.setAttribute("context-user-name", used.targetAuthor);
    header.setAttribute("context-user-image", ctx.avatar(used.targetAuthor, used.targetAuthor, false));
  }
  return header;
}

function embeds(list: { title?: string; description?: string }[], ctx: MessageContext): HTMLElement {
  const box = document.createElement("div");
  box.slot = "embeds";
  for (const e of list) {
    const embed = document.createElement("div");
    embed.className = "embed";
    if (e.title) {
      const title = document.createElement("div");
      title.className = "embed-title";
      title.textContent = e.title;
      embed.append(title);
    }
    if (e.description) embed.append(renderMarkdown(e.description, ctx.names));
    box.append(embed);
  }
  return box;
}

function attachments(list: ViewAttachment[]): HTMLElement {
  const box = document.createElement("discord-attachments");
  box.slot = "attachments";
  for (const a of list) {
    if (a.contentType.startsWith("image/")) {
      const img = document.createElement("img");
      img.className = "attachment-image";
      img.src = a.url;
      img.alt = a.description ?? a.filename;
      img.loading = "lazy";
      box.append(img);
    } else {
      const file = document.createElement("discord-file-attachment");
      file.setAttribute("name", a.filename);
      file.setAttribute("href", a.url);
      file.setAttribute("bytes", String(a.size < 1024 ? a.size : Math.round(a.size / 102.4) / 10));
      file.setAttribute("bytes-unit", a.size < 1024 ? "bytes" : "KB");
      file.setAttribute("target", "_blank");
      box.append(file);
    }
  }
  return box;
}

function actionRow(row: Component, m: ViewMessage, ctx: MessageContext): HTMLElement {
  const el = document.createElement("div");
  el.className = "row";
  for (const c of row.components ?? []) {
    if (c.type === 2) el.append(button(c, m, ctx));
    else if (c.type === 3) el.append(select(c, m, ctx));
  }
  return el;
}

function button(c: Component, m: ViewMessage, ctx: MessageContext): HTMLElement {
  const text = [c.emoji?.name, c.label].filter(Boolean).join(" ");
  const style = BUTTON_STYLES[c.style ?? 2] ?? "secondary";
  if (c.style === 5 && c.url) {
    const a = document.createElement("a");
    a.className = "btn link";
    a.href = c.url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.textContent = `${text} ↗`;
    return a;
  }
  const b = document.createElement("button");
  b.type = "button";
  b.className = `btn ${style}`;
  b.textContent = text;
  b.disabled = c.disabled === true;
  b.addEventListener("click", async () => {
    b.classList.add("busy");
    await ctx.act({ kind: "click", messageId: m.id, customId: c.custom_id });
    b.classList.remove("busy");
  });
  return b;
}

function select(c: Component, m: ViewMessage, ctx: MessageContext): HTMLElement {
  const box = document.createElement("div");
  box.className = "select";
  const sel = document.createElement("select");
  const placeholder = c.placeholder ?? "Make a selection";
  sel.setAttribute("aria-label", placeholder);
  sel.disabled = c.disabled === true;
  const multi = (c.max_values ?? 1) > 1;
  if (multi) {
    sel.multiple = true;
    sel.size = Math.min(c.options?.length ?? 1, 6);
  } else {
    // A single select shows its placeholder until a member picks (as Discord's does).
    const first = new Option(placeholder, "", true, true);
    first.disabled = true;
    first.hidden = true;
    sel.append(first);
  }
  for (const o of c.options ?? []) {
    const option = new Option([o.emoji?.name, o.label].filter(Boolean).join(" "), o.value);
    if (o.description) option.title = o.description;
    sel.append(option);
  }
  const send = () =>
    ctx.act({
      kind: "select",
      messageId: m.id,
      customId: c.custom_id,
      values: [...sel.selectedOptions].map((o) => o.value).filter((v) => v !== ""),
    });
  box.append(sel);
  if (multi) {
    // A native multi-select has no "menu closed" moment like Discord's: an explicit button sends the picks.
    const go = document.createElement("button");
    go.type = "button";
    go.className = "btn primary";
    go.textContent = "Submit choices";
    go.disabled = sel.disabled;
    go.addEventListener("click", () => void send());
    box.append(go);
  } else sel.addEventListener("change", () => void send());
  return box;
}

/** The message's Apps menu (Discord: right click → Apps): the message commands the member may use. */
function appsMenu(m: ViewMessage, ctx: MessageContext): HTMLElement {
  const bar = document.createElement("div");
  bar.className = "toolbar";
  const open = document.createElement("button");
  open.type = "button";
  open.textContent = "⋯ Apps";
  open.setAttribute("aria-haspopup", "menu");
  open.setAttribute("aria-expanded", "false");
  const menu = document.createElement("div");
  menu.className = "menu";
  menu.setAttribute("role", "menu");
  menu.setAttribute("aria-label", "Apps");
  menu.hidden = true;
  const title = document.createElement("div");
  title.className = "menu-title";
  title.textContent = "Apps";
  title.setAttribute("aria-hidden", "true");
  menu.append(title);
  const close = () => {
    menu.hidden = true;
    bar.classList.remove("open");
    open.setAttribute("aria-expanded", "false");
  };
  for (const name of ctx.messageCommands) {
    const item = document.createElement("button");
    item.type = "button";
    item.setAttribute("role", "menuitem");
    item.textContent = name;
    item.addEventListener("click", () => {
      close();
      void ctx.act({ kind: "messageCommand", messageId: m.id, name });
    });
    menu.append(item);
  }
  open.addEventListener("click", () => {
    const opening = menu.hidden;
    menu.hidden = !opening;
    bar.classList.toggle("open", opening);
    open.setAttribute("aria-expanded", String(opening));
    if (opening) (menu.querySelector("[role=menuitem]") as HTMLElement | null)?.focus();
  });
  menu.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      close();
      open.focus();
    }
  });
  bar.append(open, menu);
  return bar;
}

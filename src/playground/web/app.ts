// The playground page: a Discord client for one member at a time ("Acting as"), live over a WebSocket. It
// knows nothing of this bot: it shows what the local Discord holds for that member and sends what the
// member does (messages, slash commands, clicks, picks, forms, message commands) back to it.
import "@skyra/discord-components-core";
import "./style.css";
import type { MemberView, ViewFailure } from "../viewTypes.js";
import { Composer } from "./composer.js";
import { commandHeader, type MessageContext, renderMessage } from "./message.js";
import { syncModal } from "./modal.js";
import { messageTime, startClock } from "./time.js";

const params = new URLSearchParams(location.search);
let me = params.get("as") ?? sessionStorage.getItem("playground-as") ?? "alice";
let channelId = "";
let view: MemberView | null = null;
const rendered = new Map<string, { key: string; el: HTMLElement }>();
/** Ephemeral messages this page's member dismissed. */
const dismissed = new Set<string>();
function dismiss(id: string): void {
  dismissed.add(`${me}:${id}`);
  if (view) render(view);
}

const app = document.getElementById("app") as HTMLElement;
const layout = document.createElement("div");
layout.className = "layout";
const sidebar = document.createElement("nav");
sidebar.className = "sidebar";
sidebar.setAttribute("aria-label", "Server");
const guild = document.createElement("h1");
guild.className = "guild";
const channelList = document.createElement("ul");
channelList.className = "channels";
channelList.setAttribute("aria-label", "Channels");
const meBox = document.createElement("div");
meBox.className = "me";
const actingLabel = document.createElement("label");
actingLabel.htmlFor = "acting-as";
actingLabel.textContent = "Acting as";
const acting = document.createElement("select");
acting.id = "acting-as";
const reset = document.createElement("button");
reset.type = "button";
reset.className = "reset";
reset.textContent = "Reset";
reset.title = "Start the playground afresh: every message, answer, score and setting is forgotten";
const hint = document.createElement("p");
hint.className = "hint";
hint.textContent = "Switch member to play a group round or try /config as the moderator.";
meBox.append(actingLabel, acting, reset, hint);
sidebar.append(guild, channelList, meBox);

const main = document.createElement("main");
main.className = "channel";
const header = document.createElement("header");
header.className = "channel-header";
const channelTitle = document.createElement("h2");
const topic = document.createElement("p");
topic.textContent = "The tutor bot, running here as it runs on Discord. Type / for its commands.";
header.append(channelTitle, topic);
const banner = document.createElement("div");
banner.className = "banner";
banner.setAttribute("role", "status");
banner.hidden = true;
const scroller = document.createElement("div");
scroller.className = "scroller";
const list = document.createElement("discord-messages");
list.setAttribute("role", "log");
scroller.append(list);
const composer = new Composer({ send });
main.append(header, banner, scroller, composer.root);
layout.append(sidebar, main);

acting.addEventListener("change", () => {
  me = acting.value;
  sessionStorage.setItem("playground-as", me);
  const url = new URL(location.href);
  url.searchParams.set("as", me);
  history.replaceState(null, "", url);
  rendered.clear();
  list.replaceChildren();
  stuckToBottom = true;
  socket?.send(JSON.stringify({ as: me }));
});
reset.addEventListener("click", () => void act({ kind: "reset" }));
window.addEventListener("hashchange", () => {
  const byName = view?.channels.find((c) => `#${c.name}` === location.hash);
  if (byName && byName.id !== channelId) {
    channelId = byName.id;
    if (view) render(view);
  }
});

// Actions go over the live socket (no HTTP round trip per click); each is answered with its id.
let nextActionId = 1;
const pending = new Map<number, (result: { ok: boolean; error?: string }) => void>();

function request(action: Record<string, unknown>): Promise<{ ok: boolean; error?: string }> {
  if (!socket || socket.readyState !== WebSocket.OPEN)
    return Promise.resolve({ ok: false, error: "Not connected to the playground; trying again…" });
  const id = nextActionId++;
  socket.send(JSON.stringify({ id, act: { as: me, ...action } }));
  return new Promise((resolve) => pending.set(id, resolve));
}

async function act(action: Record<string, unknown>): Promise<boolean> {
  const result = await request(action);
  if (!result.ok) showError(result.error ?? "That did not work.");
  return result.ok;
}

async function send(text: string, file: { filename: string; base64: string } | null): Promise<string | null> {
  const result = await request({ kind: "send", channelId, text, ...(file ? { file } : {}) });
  return result.ok ? null : (result.error ?? "That could not be sent.");
}

function showError(text: string): void {
  const error = composer.root.querySelector(".composer-error");
  if (error) error.textContent = text;
}

const avatarCache = new Map<string, string>();
/** A round avatar with the member's initial: no image from Discord's CDN is reachable here. */
function avatar(_id: string, name: string, bot: boolean): string {
  // Keyed by the name, so the small avatar of "Bob used Run Python" matches Bob's own messages.
  const key = `${bot}:${name}`;
  const cached = avatarCache.get(key);
  if (cached) return cached;
  const colours = ["#5865f2", "#3ba55d", "#faa61a", "#ed4245", "#eb459e", "#747f8d"];
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const fill = bot ? "#3776ab" : colours[hash % colours.length];
  const letter = bot ? "🐍" : (name[0] ?? "?").toUpperCase();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><circle cx="40" cy="40" r="40" fill="${fill}"/><text x="40" y="53" font-size="36" text-anchor="middle" fill="#fff" font-family="sans-serif">${letter}</text></svg>`;
  const url = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  avatarCache.set(key, url);
  return url;
}

function render(v: MemberView): void {
  const first = !app.contains(layout);
  if (first) {
    app.append(layout);
    app.removeAttribute("aria-busy");
  }
  guild.textContent = v.guildName;
  if (acting.options.length !== v.members.length) {
    acting.replaceChildren(...v.members.map((m) => new Option(m.label, m.username)));
  }
  acting.value = v.me;
  if (!channelId || !v.channels.some((c) => c.id === channelId))
    channelId = v.channels.find((c) => `#${c.name}` === location.hash)?.id ?? v.channels[0]?.id ?? "";
  const channel = v.channels.find((c) => c.id === channelId);
  channelList.replaceChildren(
    ...v.channels.map((c) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `#${c.name}`;
      a.textContent = c.name;
      if (c.id === channelId) a.setAttribute("aria-current", "page");
      li.append(a);
      return li;
    }),
  );
  channelTitle.textContent = channel?.name ?? "";
  list.setAttribute("aria-label", `Messages in #${channel?.name ?? ""}`);
  list.setAttribute("channel-name", channel?.name ?? "");
  composer.setChannel(channel?.name ?? "");
  composer.setCommands(v.commands);
  composer.setEnabled(!v.resetting);
  banner.hidden = !v.resetting;
  banner.textContent = v.resetting ? "Resetting the playground: a fresh start in a few seconds…" : "";
  renderMessages(v);
  syncModal(v.resetting ? null : v.modal, act);
  // The bench's "first load" ends here: the composer can send and knows the commands.
  if (first && !v.resetting) performance.mark("composer-ready");
}

// The channel stays scrolled to the newest message unless the member scrolled up to read; the components
// render a moment after they are added, so the size change, not the insertion, triggers the scroll.
let stuckToBottom = true;
let autoScrolledTo = -1;
function toBottom(): void {
  scroller.scrollTop = scroller.scrollHeight;
  autoScrolledTo = scroller.scrollTop;
}
scroller.addEventListener("scroll", () => {
  // Scroll events arrive late: one caused by toBottom() may see content that grew since. Only a member's
  // own scrolling unsticks the view.
  if (Math.abs(scroller.scrollTop - autoScrolledTo) <= 1) return;
  stuckToBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
});
const keepAtBottom = new ResizeObserver(() => {
  if (stuckToBottom) toBottom();
});
keepAtBottom.observe(list);
keepAtBottom.observe(scroller); // the window resized

function renderMessages(v: MemberView): void {
  const failedClicks = new Map<string, number>();
  for (const f of v.failures)
    if (f.messageId) failedClicks.set(f.messageId, (failedClicks.get(f.messageId) ?? 0) + 1);
  const ctx: Omit<MessageContext, "failedClicks"> = {
    names: v.names,
    botName: v.botName,
    messageCommands: v.messageCommands,
    act,
    avatar,
    dismiss,
  };
  type Item = { at: number; id: string; key: string; build: () => HTMLElement };
  const items: Item[] = [];
  for (const m of v.messages) {
    if (m.channelId !== channelId || dismissed.has(`${me}:${m.id}`)) continue;
    const fails = failedClicks.get(m.id) ?? 0;
    items.push({
      at: m.createdAt,
      id: m.id,
      key: `${fails}|${JSON.stringify(m)}`,
      build: () => renderMessage(m, { ...ctx, failedClicks: fails }),
    });
  }
  for (const f of v.failures) {
    if (f.channelId !== channelId || !f.command || dismissed.has(`${me}:fail-${f.id}`)) continue;
    items.push({ at: f.createdAt, id: `fail-${f.id}`, key: f.id, build: () => failure(f, v) });
  }
  items.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  let previous: Element | null = null;
  for (const item of items) {
    seen.add(item.id);
    let entry = rendered.get(item.id);
    if (!entry || entry.key !== item.key) {
      const el = item.build();
      if (entry) entry.el.replaceWith(el); // an edit: the message changes in place
      entry = { key: item.key, el };
      rendered.set(item.id, entry);
    }
    const expected: Element | null = previous ? previous.nextElementSibling : list.firstElementChild;
    if (expected !== entry.el) {
      if (previous) previous.after(entry.el);
      else list.prepend(entry.el);
    }
    previous = entry.el;
  }
  for (const [id, entry] of rendered)
    if (!seen.has(id)) {
      entry.el.remove();
      rendered.delete(id);
    }
  if (items.length === 0) list.replaceChildren(emptyChannel());
  else list.querySelector(".empty")?.remove();
  if (stuckToBottom) toBottom();
}

function emptyChannel(): HTMLElement {
  const box = document.createElement("div");
  box.className = "empty";
  const h = document.createElement("h3");
  h.textContent = "Nothing here yet";
  const p = document.createElement("p");
  p.textContent = "Type /finally quiz to start, /run to run some Python, or switch channel.";
  box.append(h, p);
  return box;
}

/** Discord's notice for a command nobody answered within 3 s, shown to the member who used it. */
function failure(f: ViewFailure, v: MemberView): HTMLElement {
  const el = document.createElement("discord-message");
  el.setAttribute("role", "article");
  el.setAttribute("aria-label", `${v.botName} (only you can see this)`);
  el.setAttribute("author", v.botName);
  el.setAttribute("avatar", avatar("bot", v.botName, true));
  el.setAttribute("bot", "");
  el.setAttribute("ephemeral", "");
  (el as HTMLElement & { dismissMessageClicked: () => void }).dismissMessageClicked = () =>
    dismiss(`fail-${f.id}`);
  el.setAttribute("timestamp", messageTime(f.createdAt));
  const label = v.members.find((m) => m.username === v.me)?.label ?? v.me;
  el.append(commandHeader({ user: label, command: f.command ?? "", targetAuthor: null }, { avatar }));
  const text = document.createElement("span");
  text.className = "not-responding";
  text.textContent = "The application did not respond";
  el.append(text);
  return el;
}

let socket: WebSocket | null = null;
function connect(): void {
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/live`);
  socket = ws;
  ws.addEventListener("open", () => ws.send(JSON.stringify({ as: me })));
  ws.addEventListener("message", (e) => {
    const msg = JSON.parse(String(e.data)) as
      | { type: "view"; view: MemberView }
      | { type: "result"; id: number; result: { ok: boolean; error?: string } };
    if (msg.type === "result") {
      pending.get(msg.id)?.(msg.result);
      pending.delete(msg.id);
    } else if (msg.type === "view" && msg.view.me === me) {
      view = msg.view;
      render(view);
    }
  });
  ws.addEventListener("close", () => {
    socket = null;
    for (const resolve of pending.values())
      resolve({ ok: false, error: "The connection to the playground was lost." });
    pending.clear();
    banner.hidden = false;
    banner.textContent = "Lost the connection to the playground; trying again…";
    setTimeout(connect, 1000);
  });
}

startClock(document);
connect();

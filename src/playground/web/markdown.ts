// Discord markdown to DOM: discord-markdown-parser reads the text (bold, italics, code, headings, `-#`
// subtext, quotes, mentions, `<t:…:R>` timestamps), the library's components show it, highlight.js colours
// Python. The parser has no lists, so list lines are grouped here by hand; mentions become names that
// ping nobody.
import { parse } from "discord-markdown-parser";
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import { formatTimestamp } from "./time.js";

hljs.registerLanguage("python", python);

export interface Names {
  users: Record<string, string>;
  channels: Record<string, string>;
}

interface MdNode {
  type: string;
  content?: string | MdNode[];
  lang?: string;
  level?: number;
  id?: string;
  timestamp?: string;
  format?: string;
  target?: string;
  name?: string;
}

const LIST_ITEM = /^(\s*)([-*]|\d+\.)\s+(.*)$/;

/** The message text as DOM: blocks of text, and lists of consecutive list lines (outside code fences). */
export function renderMarkdown(text: string, names: Names): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = text.split("\n");
  let buffer: string[] = [];
  let inFence = false;
  const flushText = () => {
    if (buffer.length === 0) return;
    const block = document.createElement("div");
    block.className = "md-block";
    block.append(renderInline(buffer.join("\n"), names));
    out.append(block);
    buffer = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if ((line.match(/```/g)?.length ?? 0) % 2 === 1) inFence = !inFence;
    const item = inFence ? null : LIST_ITEM.exec(line);
    if (!item) {
      buffer.push(line);
      continue;
    }
    flushText();
    const ordered = /\d/.test(item[2] ?? "");
    const list = document.createElement(ordered ? "discord-ordered-list" : "discord-unordered-list");
    while (i < lines.length) {
      const m = LIST_ITEM.exec(lines[i] ?? "");
      if (!m || /\d/.test(m[2] ?? "") !== ordered) break;
      const li = document.createElement("discord-list-item");
      li.append(renderInline(m[3] ?? "", names));
      list.append(li);
      i++;
    }
    i--;
    out.append(list);
  }
  flushText();
  return out;
}

function renderInline(text: string, names: Names): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const node of parse(text, "extended") as MdNode[]) frag.append(renderNode(node, names));
  return frag;
}

function children(node: MdNode, names: Names): DocumentFragment {
  const frag = document.createDocumentFragment();
  if (typeof node.content === "string") frag.append(node.content);
  else for (const child of node.content ?? []) frag.append(renderNode(child, names));
  return frag;
}

function element(tag: string, content: MdNode | string, names: Names, attrs: Record<string, string> = {}) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(typeof content === "string" ? content : children(content, names));
  return el;
}

function renderNode(node: MdNode, names: Names): Node | string {
  switch (node.type) {
    case "text":
      return typeof node.content === "string" ? node.content : children(node, names);
    case "br":
    case "newline":
      return document.createElement("br");
    case "strong":
      return element("strong", node, names);
    case "em":
      return element("em", node, names);
    case "underline":
      return element("u", node, names);
    case "strikethrough":
      return element("s", node, names);
    case "spoiler": {
      const el = element("span", node, names, { class: "spoiler", tabindex: "0", role: "button" });
      el.addEventListener("click", () => el.classList.add("shown"));
      return el;
    }
    case "inlineCode":
      return element("discord-code", String(node.content ?? ""), names);
    case "codeBlock":
      return codeBlock(String(node.content ?? ""), node.lang ?? "");
    case "heading":
      return element("discord-header", node, names, { level: String(node.level ?? 1) });
    case "subtext":
      return element("discord-subscript", node, names);
    case "blockQuote":
      return element("discord-quote", node, names);
    case "user":
      return element("discord-mention", names.users[node.id ?? ""] ?? "unknown-user", names, {
        type: "user",
      });
    case "channel":
      return element("discord-mention", names.channels[node.id ?? ""] ?? "unknown", names, {
        type: "channel",
      });
    case "role":
      return element("discord-mention", "role", names, { type: "role" });
    case "everyone":
    case "here":
      return element("discord-mention", node.type, names, { type: "role" });
    case "timestamp":
      return timestamp(Number(node.timestamp), node.format ?? "f");
    case "url":
    case "autolink": {
      const href = String(node.target ?? "");
      // Only web links become links (never javascript: or data: URLs from a message).
      if (!/^https?:\/\//i.test(href)) return children(node, names);
      const a = element("a", node, names, { href, target: "_blank", rel: "noopener noreferrer" });
      if (!a.textContent) a.textContent = href;
      return a;
    }
    case "emoji":
    case "twemoji":
      return node.name ? node.name : children(node, names);
    default:
      return children(node, names);
  }
}

function codeBlock(code: string, lang: string): HTMLElement {
  const el = document.createElement("discord-code");
  el.setAttribute("multiline", "");
  const span = document.createElement("span");
  span.className = "hljs";
  const language = /^(py|python|python3)$/i.test(lang) ? "python" : null;
  if (language) span.innerHTML = hljs.highlight(code, { language }).value;
  else span.textContent = code;
  el.append(span);
  return el;
}

/** `<t:…:R>` and friends: a <time> the page's clock keeps current (relative ones tick). */
export function timestamp(seconds: number, format: string): HTMLElement {
  const el = document.createElement("time");
  el.className = "ts";
  el.dateTime = new Date(seconds * 1000).toISOString();
  el.dataset.ts = String(seconds);
  el.dataset.format = format;
  el.title = new Date(seconds * 1000).toLocaleString();
  el.textContent = formatTimestamp(seconds, format, Date.now());
  return el;
}

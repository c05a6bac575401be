// Python syntax highlighting for the listing: highlight.js tokens, split into lines.
import { createRequire } from "node:module";

// Loaded through require with a small type of our own: highlight.js's type declarations pull in the
// DOM library, which changes Node's global types (Buffer, fetch bodies) for the whole project.
interface Highlighter {
  registerLanguage(name: string, language: unknown): void;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}
const require = createRequire(import.meta.url);
const hljs = require("highlight.js/lib/core") as Highlighter;
hljs.registerLanguage("python", require("highlight.js/lib/languages/python"));

export type TokenKind =
  | "plain"
  | "keyword"
  | "string"
  | "number"
  | "comment"
  | "builtin"
  | "name"
  | "literal";

export interface Token {
  text: string;
  kind: TokenKind;
}

const KINDS: Record<string, TokenKind> = {
  keyword: "keyword",
  string: "string",
  subst: "plain",
  number: "number",
  comment: "comment",
  built_in: "builtin",
  literal: "literal",
  title: "name",
  meta: "keyword", // decorators
};

const ENTITIES: Record<string, string> = {
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
  "&quot;": '"',
  "&#x27;": "'",
};

/** The program's lines as highlighted tokens (tabs already expanded by the caller). */
export function highlightLines(lines: string[]): Token[][] {
  const html = hljs.highlight(lines.join("\n"), { language: "python", ignoreIllegals: true }).value;
  const out: Token[][] = [[]];
  const stack: TokenKind[] = [];
  const push = (text: string) => {
    const kind = stack[stack.length - 1] ?? "plain";
    const parts = text.split("\n");
    parts.forEach((p, i) => {
      if (i > 0) out.push([]);
      if (p !== "") (out[out.length - 1] as Token[]).push({ text: p, kind });
    });
  };
  const re = /<span class="([^"]*)">|<\/span>|([^<]+)/g;
  for (const m of html.matchAll(re)) {
    if (m[1] !== undefined) {
      const cls = (m[1].split(/\s+/)[0] ?? "").replace(/^hljs-/, "");
      // A substitution inside an f-string is code, not string; everything else inherits its parent.
      stack.push(KINDS[cls] ?? stack[stack.length - 1] ?? "plain");
    } else if (m[0] === "</span>") stack.pop();
    else push((m[2] ?? "").replace(/&(lt|gt|amp|quot|#x27);/g, (e) => ENTITIES[e] ?? e));
  }
  while (out.length < lines.length) out.push([]);
  return out;
}

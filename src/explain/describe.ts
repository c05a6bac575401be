// Plain-words description of one execution of a try statement (a TryEntry), as short bullet phrases.
import type { TryEntry } from "../sandbox/types.js";
import { type ClauseHeader, catchesOnlyExceptions, isBareExcept, type TryShape } from "./source.js";

/** Exceptions that `except Exception` does not catch. */
const BASE_ONLY = new Set(["SystemExit", "KeyboardInterrupt", "GeneratorExit", "CancelledError"]);

const JUMP_WORD: Record<string, string> = { returned: "return", broke: "break", continued: "continue" };

const code = (s: string): string => `\`${s.replaceAll("`", "'")}\``;

export const isJump = (s: string): boolean => s in JUMP_WORD;

/** What was pending when finally started, when the entry tells it for sure. */
type Pending =
  | { kind: "nothing" }
  | { kind: "exception"; type: string }
  | { kind: "jump"; word: string }
  | null;

function pendingAtFinally(e: TryEntry): Pending {
  if (e.handler === null && e.body === "raised")
    return { kind: "exception", type: e.raised ?? "an exception" };
  if (e.handler === null && isJump(e.body)) return { kind: "jump", word: JUMP_WORD[e.body] as string };
  if (e.outcome === "caught" || (e.outcome === "completed" && e.body === "completed"))
    return { kind: "nothing" };
  return null;
}

function bodyPhrase(e: TryEntry): string {
  switch (e.body) {
    case "completed":
      return "body ran to the end, no exception";
    case "raised":
      if (e.raised === "GeneratorExit")
        return "body was paused at a `yield` when the generator was closed (`GeneratorExit`)";
      if (e.raised === "SystemExit") return "body raised `SystemExit` (that is what `sys.exit()` does)";
      return `body raised ${code(e.raised ?? "an exception")}`;
    default:
      return `body ran ${code(JUMP_WORD[e.body] ?? e.body)}`;
  }
}

function exceptPhrase(e: TryEntry, excepts: ClauseHeader[]): string | null {
  const byLine = (line: number) => excepts.find((h) => h.line === line);
  const name = (line: number) => {
    const h = byLine(line);
    return h ? `${code(h.text)} (line ${line})` : `the except at line ${line}`;
  };
  if (e.handler !== null) {
    const ran = e.handlers && e.handlers.length > 1 ? e.handlers : [e.handler];
    if (ran.length > 1) return `${ran.map(name).join(" and ")} each took their part of the group`;
    return `${name(e.handler)} matched, so its block ran`;
  }
  if (e.body !== "raised") return excepts.length > 0 ? "nothing was raised, so `except` was skipped" : null;
  const exc = e.raised ?? "the exception";
  if (excepts.length === 0) return `no \`except\` clause here to catch ${code(exc)}`;
  const broad = excepts.find(catchesOnlyExceptions);
  if (BASE_ONLY.has(exc) && broad && !excepts.some(isBareExcept))
    return `no \`except\` matched: ${code(exc)} is a BaseException, not an Exception, so ${code(broad.text)} lets it through`;
  return `no \`except\` matched ${code(exc)}`;
}

function elsePhrase(e: TryEntry, header: ClauseHeader | undefined): string | null {
  if (!header) return null;
  if (e.else) return `\`else\` (line ${header.line}) ran because the body raised nothing`;
  if (e.body === "raised") return "`else` skipped: the body raised";
  if (isJump(e.body)) return `\`else\` skipped: the body left with ${code(JUMP_WORD[e.body] as string)}`;
  return "`else` skipped";
}

function finallyPhrase(e: TryEntry, header: ClauseHeader | undefined): string | null {
  if (!header && !e.finally) return null;
  const where = header ? ` (line ${header.line})` : "";
  if (!e.finally) return `\`finally\`${where} did not start`;
  const p = pendingAtFinally(e);
  if (p === null) return `\`finally\`${where} ran`;
  if (p.kind === "nothing") return `\`finally\`${where} ran, nothing pending`;
  if (p.kind === "exception") return `\`finally\`${where} ran with ${code(p.type)} still pending`;
  return `\`finally\`${where} ran with the ${code(p.word)} pending`;
}

/** The outcome, named as the lesson names its three outcomes where one applies. */
export function outcomePhrase(e: TryEntry): string {
  switch (e.outcome) {
    case "completed":
      return "**no exception**: went on after the try";
    case "caught":
      return "**caught**: went on after the try";
    case "propagated": {
      const exc = code(e.exception ?? "the exception");
      if (e.star && e.handler !== null)
        return `**not caught**: the rest of the group, which no \`except*\` matched, propagated as ${exc}`;
      const after = e.finally ? " after finally" : "";
      const swallowed = e.exception === "GeneratorExit" ? " (`close()` then swallows it)" : "";
      if (e.handler !== null) return `caught, but then ${exc} was raised and propagated${after}`;
      return `**not caught**: ${exc} propagated${after}${swallowed}`;
    }
    case "returned":
      return e.handler !== null ? "caught, then the function returned" : "the function returned";
    case "broke":
      return "`break` left the loop";
    case "continued":
      return "`continue` went on to the next round of the loop";
  }
}

/** The behaviours of try/finally that surprise learners, when this execution shows one. */
export function surprises(e: TryEntry): string[] {
  const out: string[] = [];
  if (!e.finally) return out;
  const p = pendingAtFinally(e);
  if (e.body === "returned" && e.outcome === "returned" && e.handler === null)
    out.push("a `return` in try does not skip `finally`: it ran first, then the caller still got the value");
  if (p?.kind === "exception" && isJump(e.outcome))
    out.push(
      `the ${code(JUMP_WORD[e.outcome] as string)} in \`finally\` discarded ${code(p.type)}: it never reached the caller`,
    );
  if (p?.kind === "exception" && e.outcome === "propagated" && e.exception !== null && e.exception !== p.type)
    out.push(
      `\`finally\` raised ${code(e.exception)}, which replaced ${code(p.type)} (kept as its \`__context__\`)`,
    );
  return out;
}

/** The bullets for one execution, in the order things happened. A surprise already in `seen` is not repeated. */
export function describeEntry(e: TryEntry, shape: TryShape, seen: Set<string> = new Set()): string[] {
  const excepts = shape.headers.filter((h) => h.kind === "except");
  const elseH = shape.headers.find((h) => h.kind === "else");
  const finallyH = shape.headers.find((h) => h.kind === "finally");
  const bullets = [
    bodyPhrase(e),
    exceptPhrase(e, excepts),
    elsePhrase(e, elseH),
    finallyPhrase(e, finallyH),
    `→ ${outcomePhrase(e)}`,
  ].filter((b): b is string => b !== null);
  for (const s of surprises(e)) {
    if (seen.has(s)) continue;
    seen.add(s);
    bullets.push(`**Surprise:** ${s}`);
  }
  return bullets;
}

/** A short label for grouping repeated executions: "completed", "`ValueError` caught", ... */
export function outcomeLabel(e: TryEntry): string {
  switch (e.outcome) {
    case "completed":
      return "completed";
    case "caught":
      return `${code(e.raised ?? "exception")} caught`;
    case "propagated":
      return e.handler !== null && !e.star
        ? `${code(e.raised ?? "exception")} caught, then ${code(e.exception ?? "exception")} raised`
        : `${code(e.exception ?? "exception")} not caught`;
    default:
      return e.outcome;
  }
}

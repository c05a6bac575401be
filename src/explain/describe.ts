// Plain-words description of one execution of a try statement, as short bullet phrases. The facts come from
// ./model.ts (tryStory); this file only words them, as the Python tutorial's "Defining Clean-up Actions" does.
import type { TryEntry } from "../sandbox/types.js";
import { type FinallyPending, type Jump, jumpOf, type TryStory, tryStory } from "./model.js";
import { type ClauseHeader, catchesOnlyExceptions, isBareExcept, type TryShape } from "./source.js";

/** Exceptions that `except Exception` does not catch. */
const BASE_ONLY = new Set(["SystemExit", "KeyboardInterrupt", "GeneratorExit", "CancelledError"]);

const code = (s: string): string => `\`${s.replaceAll("`", "'")}\``;

export const isJump = (s: string): boolean => jumpOf(s) !== null;

/** `return 1`, or `return` when the value is not known. */
const returnOf = (value: string | null): string => code(value === null ? "return" : `return ${value}`);

const FROM: Record<string, string> = {
  body: "the try block",
  except: "the `except` block",
  else: "the `else` block",
};

function bodyPhrase(e: TryEntry, s: TryStory): string {
  switch (e.body) {
    case "completed":
      return "body ran to the end, no exception";
    case "raised": {
      if (e.raised === "GeneratorExit")
        return "body was paused at a `yield` when the generator was closed (`GeneratorExit`)";
      const at = e.raisedLine ? ` (line ${e.raisedLine})` : "";
      if (e.raised === "SystemExit")
        return `body raised \`SystemExit\`${at} (that is what \`sys.exit()\` does)`;
      return `body raised ${code(e.raised ?? "an exception")}${at}`;
    }
    case "returned": {
      const p = s.finally?.pending;
      const value =
        p?.kind === "return" && p.from === "body"
          ? p.value
          : s.finally === null && s.handlers.length === 0
            ? s.returned
            : null;
      return `body ran ${returnOf(value)}`;
    }
    default:
      return `body ran ${code(jumpOf(e.body) ?? e.body)}`;
  }
}

function exceptPhrase(e: TryEntry, s: TryStory, excepts: ClauseHeader[]): string | null {
  const name = (line: number) => {
    const h = excepts.find((x) => x.line === line);
    return h ? `${code(h.text)} (line ${line})` : `the except at line ${line}`;
  };
  if (s.handlers.length > 1) return `${s.handlers.map(name).join(" and ")} each took their part of the group`;
  if (e.handler !== null) return `${name(e.handler)} matched, so its block ran`;
  if (e.body !== "raised") return excepts.length > 0 ? "nothing was raised, so `except` was skipped" : null;
  const exc = e.raised ?? "the exception";
  if (excepts.length === 0) return `no \`except\` clause here to catch ${code(exc)}`;
  const broad = excepts.find(catchesOnlyExceptions);
  if (BASE_ONLY.has(exc) && broad && !excepts.some(isBareExcept))
    return `no \`except\` matched: ${code(exc)} is a BaseException, not an Exception, so ${code(broad.text)} lets it through`;
  return `no \`except\` matched ${code(exc)}`;
}

function elsePhrase(e: TryEntry, s: TryStory, header: ClauseHeader | undefined): string | null {
  if (!header) return null;
  if (e.else)
    return `\`else\` (line ${header.line}) ran because the body raised nothing${s.elseRaised ? `, and it raised ${code(e.exception ?? "an exception")}` : ""}`;
  if (e.body === "raised") return "`else` skipped: the body raised";
  const jump = jumpOf(e.body);
  if (jump) return `\`else\` skipped: the body left with ${code(jump)}`;
  return "`else` skipped";
}

function pendingWords(p: FinallyPending): string {
  switch (p.kind) {
    case "nothing":
      return "nothing pending";
    case "exception":
      return p.from === "body"
        ? `${code(p.type)} still pending`
        : `${code(p.type)} pending, raised in ${FROM[p.from]}`;
    case "return":
      return `${p.value === null ? "the `return`" : returnOf(p.value)} pending${p.from === "body" ? "" : ` from ${FROM[p.from]}`}`;
    default:
      return `the ${code(p.kind)} pending${p.from === "body" ? "" : ` from ${FROM[p.from]}`}`;
  }
}

function finallyPhrase(e: TryEntry, s: TryStory, header: ClauseHeader | undefined): string | null {
  if (!header && !e.finally) return null;
  const where = header ? ` (line ${header.line})` : "";
  if (!s.finally) return `\`finally\`${where} did not start`;
  const p = s.finally.pending;
  if (p === null) return `\`finally\`${where} ran`;
  return `\`finally\`${where} ran${p.kind === "nothing" ? ", " : " with "}${pendingWords(p)}`;
}

const returnedWith = (value: string | null): string =>
  value === null ? "the function returned" : `the function returned ${code(value)}`;

/** What the finally clause did to what was pending, said where it decides the outcome (null: nothing to add). */
function finallyVerdict(s: TryStory): string | null {
  const effect = s.finally?.effect;
  switch (effect?.kind) {
    case "replaced_return":
      return `the \`return\` in \`finally\` replaced the pending ${returnOf(effect.pending)}`;
    case "replaced_jump":
      return `the ${code(effect.jump)} in \`finally\` replaced the pending ${code(effect.pending)}`;
    case "discarded_exception":
      return `the ${code(effect.jump)} in \`finally\` discarded ${code(effect.type)}, which never reached the caller`;
    case "jumped":
      return `the ${code(effect.jump)} in \`finally\` decided it`;
    default:
      return null;
  }
}

/** The outcome: how control left the statement, and from where, as the lesson names its three outcomes. */
export function outcomePhrase(e: TryEntry, story?: TryStory): string {
  const s = story ?? tryStory(e);
  const effect = s.finally?.effect ?? null;
  const after = s.finally ? " after finally" : "";
  const verdict = finallyVerdict(s);
  switch (e.outcome) {
    case "completed":
      return "**no exception**: went on after the try";
    case "caught":
      return "**caught**: went on after the try";
    case "propagated": {
      const exc = code(e.exception ?? "the exception");
      if (e.star && e.handler !== null)
        return `**not caught**: the rest of the group, which no \`except*\` matched, propagated as ${exc}`;
      if (effect?.kind === "raised") {
        const r = effect.replaced;
        const instead =
          r.kind === "exception"
            ? ` in place of ${code(r.type)}`
            : r.kind === "nothing"
              ? ""
              : `, so the pending ${code(r.kind)} never happened`;
        return `**not caught**: ${exc}, raised in \`finally\`, propagated${instead}`;
      }
      if (s.elseRaised)
        return `${exc} from \`else\` propagated${after}: this try's \`except\` clauses guard only its body`;
      if (e.handler !== null) {
        const p = s.finally?.pending;
        const inHandler = !s.finally || (p?.kind === "exception" && p.from === "except");
        return `caught, but then ${exc} was raised${inHandler ? " in the handler" : ""} and propagated${after}`;
      }
      const swallowed = e.exception === "GeneratorExit" ? " (`close()` then swallows it)" : "";
      return `**not caught**: ${exc} propagated${after}${swallowed}`;
    }
    case "returned": {
      let value = returnedWith(s.returned);
      if (effect?.kind === "replaced_return") value += `, not ${code(effect.pending ?? "the pending value")}`;
      if (verdict) return `${value}: ${verdict}`;
      return e.handler !== null ? `caught, then ${value}` : value;
    }
    case "broke":
    case "continued": {
      const jump = jumpOf(e.outcome) as Jump;
      const what =
        jump === "break" ? "`break` left the loop" : "`continue` went on to the next round of the loop";
      if (verdict) return `${what}: ${verdict}`;
      return e.handler !== null ? `caught, then ${what}` : what;
    }
  }
}

/** The general rule behind this execution, when it shows one of the behaviours of finally that surprise learners. */
export function surprises(e: TryEntry, story?: TryStory): string[] {
  const s = story ?? tryStory(e);
  if (!s.finally) return [];
  const { effect, pending } = s.finally;
  switch (effect.kind) {
    case "replaced_return":
      return [
        "a `return` in `finally` overrides the `return` that was pending: the caller gets finally's value",
      ];
    case "replaced_jump":
      return ["a jump in `finally` overrides the jump that was pending"];
    case "discarded_exception":
      return [
        `a \`return\`, \`break\` or \`continue\` in \`finally\` silently swallows the exception that was pending`,
      ];
    case "raised":
      return pending?.kind === "exception"
        ? [
            "an exception raised in `finally` replaces the pending one (which stays reachable as its `__context__`)",
          ]
        : [];
    case "went_ahead":
      return pending?.kind === "return" && pending.from === "body"
        ? ["a `return` in try does not skip `finally`: finally runs just before the function returns"]
        : [];
    default:
      return [];
  }
}

/** The bullets for one execution, in the order things happened. A surprise already in `seen` is not repeated. */
export function describeEntry(e: TryEntry, shape: TryShape, seen: Set<string> = new Set()): string[] {
  const s = tryStory(e, shape.finallyText);
  const excepts = shape.headers.filter((h) => h.kind === "except");
  const elseH = shape.headers.find((h) => h.kind === "else");
  const finallyH = shape.headers.find((h) => h.kind === "finally");
  const bullets = [
    bodyPhrase(e, s),
    exceptPhrase(e, s, excepts),
    elsePhrase(e, s, elseH),
    finallyPhrase(e, s, finallyH),
    `→ ${outcomePhrase(e, s)}`,
  ].filter((b): b is string => b !== null);
  for (const x of surprises(e, s)) {
    if (seen.has(x)) continue;
    seen.add(x);
    bullets.push(`**Surprise:** ${x}`);
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

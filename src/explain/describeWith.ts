// Plain-words description of one execution of a with statement (a WithEntry), as the try statements get:
// `__enter__` ran, how the block ended, what `__exit__` received, and whether it suppressed the exception.
// The facts come from ./model.ts (withStory); this file only words them.
import type { WithEntry } from "../sandbox/types.js";
import { jumpOf, type WithStory, withStory } from "./model.js";

const code = (s: string): string => `\`${s.replaceAll("`", "'")}\``;

function enterPhrase(s: WithStory): string {
  if (!s.entered)
    return `\`__enter__\` (or the expression before it) raised ${code(s.entry.exception ?? "an exception")}, so the block never ran and \`__exit__\` was not called`;
  return "`__enter__` ran";
}

function blockPhrase(s: WithStory): string | null {
  switch (s.block) {
    case null:
      return null;
    case "completed":
      return "the block ran to the end, no exception";
    case "raised":
      return `the block raised ${code(s.entry.raised ?? "an exception")}`;
    default:
      return `the block left with ${code(s.block)}`;
  }
}

function exitPhrase(s: WithStory): string | null {
  if (!s.exit) return null;
  if (s.exit.received === null) {
    const got =
      s.block === "completed"
        ? "`__exit__` ran and received `None` (no exception)"
        : `\`__exit__\` ran first and received \`None\` (a ${code(s.block ?? "jump")} is not an exception)`;
    return s.exitRaised ? `${got}; it raised ${code(s.exitRaised)}` : got;
  }
  const exc = code(s.exit.received);
  if (s.suppressed)
    return `\`__exit__\` ran and received ${exc}; it returned a true value, so it **suppressed** ${exc}`;
  if (s.exitRaised) return `\`__exit__\` ran and received ${exc}; it raised ${code(s.exitRaised)} instead`;
  return `\`__exit__\` ran and received ${exc}; it did not suppress it`;
}

function outcomePhrase(s: WithStory): string {
  const e = s.entry;
  switch (e.outcome) {
    case "completed":
      return s.suppressed
        ? `**suppressed**: ${code(e.raised ?? "the exception")} stopped here, and the program went on after the \`with\``
        : "**no exception**: went on after the `with`";
    case "propagated": {
      const exc = code(e.exception ?? "the exception");
      if (!s.entered) return `${exc} propagated out of the \`with\``;
      if (e.raised === null) return `${exc}, raised by \`__exit__\`, propagated out of the \`with\``;
      return `**not suppressed**: ${exc} propagated out of the \`with\``;
    }
    case "returned":
      return "the function returned";
    case "broke":
      return "`break` left the loop";
    case "continued":
      return "`continue` went on to the next round of the loop";
  }
}

/** The bullets for one with execution, in the order things happened. */
export function describeWith(e: WithEntry): string[] {
  const s = withStory(e);
  return [enterPhrase(s), blockPhrase(s), exitPhrase(s), `→ ${outcomePhrase(s)}`].filter(
    (b): b is string => b !== null,
  );
}

/** A short label for grouping repeated executions: "completed", "`KeyError` suppressed", ... */
export function withLabel(e: WithEntry): string {
  if (e.suppressed) return `${code(e.raised ?? "exception")} suppressed`;
  if (e.outcome === "propagated") return `${code(e.exception ?? "exception")} propagated`;
  return jumpOf(e.outcome) ? e.outcome : "completed";
}

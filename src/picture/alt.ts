// The picture in words, for screen readers: Discord's attachment description (at most 1024 characters).
import type { TryFacts, WithFacts } from "./facts.js";
import { type FlowModel, runLabel } from "./model.js";
import type { TryStatement } from "./program.js";

export const ALT_MAX = 1024;

const ALT_WORDS = {
  completed: "no exception, went on",
  caught: "caught, went on",
} as const;

function tryRunWords(f: TryFacts, s: TryStatement): string {
  const parts: string[] = [];
  if (f.raise)
    parts.push(`body raised ${f.raise.type}${f.raise.line !== null ? ` at line ${f.raise.line}` : ""}`);
  else parts.push("body ran");
  for (const c of f.clauses) {
    if (c.kind === "try" || !c.ran) continue;
    const text = s.clauses.find((k) => k.header === c.header)?.text ?? c.kind;
    parts.push(`${text} (line ${c.header}) ran`);
  }
  if (f.pending)
    parts.push(`${f.pending.kind === "exception" ? f.pending.type : f.pending.kind} pending in finally`);
  const outcome =
    f.outcome.kind in ALT_WORDS
      ? ALT_WORDS[f.outcome.kind as keyof typeof ALT_WORDS]
      : stripArrow(f.outcome.text);
  return `${parts.join(", ")}; ${outcome}`;
}

function withRunWords(f: WithFacts): string {
  if (!f.entered) return "__enter__ raised, block skipped";
  const got =
    f.exitGot === null
      ? "__exit__ got None"
      : `__exit__ got ${f.exitGot}${f.suppressed ? " and suppressed it" : ""}`;
  return f.outcome.kind === "completed" ? got : `${got}; ${stripArrow(f.outcome.text)}`;
}

const stripArrow = (s: string): string => s.replace(/^[^A-Za-z_#]+/, "");

/** "Flow picture. try at line 2: body raised ValueError at line 3, except ValueError (line 4) ran; caught, went on. …" */
export function altText(model: FlowModel): string {
  const parts: string[] = [];
  for (const g of model.groups) {
    const where = `${g.kind} at line ${g.statement.line}`;
    const words = (i: number) =>
      g.kind === "try"
        ? tryRunWords(g.drawn[i] as TryFacts, g.statement)
        : withRunWords(g.drawn[i] as WithFacts);
    if (g.total === 1) {
      parts.push(`${where}: ${words(0)}.`);
      continue;
    }
    // Runs that read the same are said once.
    const same = new Map<string, number[]>();
    g.drawn.forEach((f, i) => {
      const w = words(i);
      same.set(w, [...(same.get(w) ?? []), f.run]);
    });
    const left = g.total - g.drawn.length;
    const runs = [...same].map(([w, r]) => `run${r.length > 1 ? "s" : ""} ${runLabel(r)}: ${w}`).join("; ");
    parts.push(`${where} ran ${g.total} times${left > 0 ? ` (${left} not drawn)` : ""}; ${runs}.`);
  }
  const uncaught = model.report.exception;
  if (model.report.status === "exception" && uncaught)
    parts.push(`Uncaught ${uncaught.type}${uncaught.line !== null ? ` at line ${uncaught.line}` : ""}.`);
  if (model.printed > 0)
    parts.push(
      `${model.printed} printed line${model.printed === 1 ? "" : "s"} numbered beside the lines that printed them.`,
    );
  const text = `Flow of the run. ${parts.join(" ")}`;
  return text.length <= ALT_MAX ? text : `${text.slice(0, ALT_MAX - 1)}…`;
}

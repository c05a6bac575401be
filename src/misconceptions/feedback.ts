// The feedback for a wrong answer: which misconception it reflects, and the correction, pointing at the
// lines of the question's code. Pure text (Markdown a member reads); the front ends only place it.
import { misconception } from "./catalogue.js";
import type { MisconceptionRef, OwnMisconception } from "./types.js";
import type { ProgramShape } from "./variants.js";

/** "You chose B: that is ___ if ..." by kind of question (the lessons' kinds). */
const WOULD: Record<string, string> = {
  first_line: "what would print first",
  whole_output: "what would print",
  escapes: "what would happen",
  clauses: "what would run",
};

export interface FeedbackInput {
  /** The kind of question (src/lessons): first_line, whole_output, escapes or clauses. */
  kind: string;
  /** How the member's choice is named: "B", or "try, finally" for clause questions. */
  chosen: string;
  refs: MisconceptionRef[];
  /** Misconceptions the question's lesson defines for itself. */
  own?: readonly OwnMisconception[];
  /** The code's try/with statements: where a correction points when the rule did not say. */
  shape?: ProgramShape | null;
}

/** "(line 6)", "(lines 6 and 14)", "(lines 2, 6 and 14)". */
export function linesRef(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  if (sorted.length === 0) return "";
  if (sorted.length === 1) return `(line ${sorted[0]})`;
  return `(lines ${sorted.slice(0, -1).join(", ")} and ${sorted.at(-1)})`;
}

function shapeLines(shape: ProgramShape | null | undefined, role: string): number[] {
  if (!shape) return [];
  switch (role) {
    case "try":
      return shape.tries.map((t) => t.line);
    case "except":
      return shape.tries.flatMap((t) => t.handlers);
    case "else":
      return shape.tries.flatMap((t) => (t.else ? [t.else] : []));
    case "finally":
      return shape.tries.flatMap((t) => (t.finally ? [t.finally] : []));
    case "with":
      return shape.withs;
    default:
      return [];
  }
}

/** The correction with each {role} replaced by its lines, or dropped when there are none. */
export function fillLines(
  template: string,
  lines: MisconceptionRef["lines"],
  shape?: ProgramShape | null,
): string {
  return template.replace(/ ?\{(\w+)\}/g, (_m, role: string) => {
    const own = lines?.[role] ?? [];
    const ref = linesRef(own.length > 0 ? own : shapeLines(shape, role));
    return ref ? ` ${ref}` : "";
  });
}

/** At most this many misconceptions are named for one choice: more reads as a lecture. */
export const NAMED_AT_MOST = 2;

/**
 * The misconceptions a choice's feedback names (and a member's record keeps): at most NAMED_AT_MOST of
 * those the catalogue or the lesson knows, the lesson's own and the classic (listed) ones first, the
 * generic "later-line" fallback last.
 */
export function namedRefs(
  refs: readonly MisconceptionRef[],
  own: readonly OwnMisconception[] = [],
): MisconceptionRef[] {
  return prioritise(refs.filter((r) => misconception(r.id) || own.some((o) => o.id === r.id)));
}

function prioritise(refs: readonly MisconceptionRef[]): MisconceptionRef[] {
  const weight = (r: MisconceptionRef) => {
    const m = misconception(r.id);
    if (!m) return 0;
    if (r.id === "later-line") return 3;
    return m.listed !== undefined ? 1 : 2;
  };
  return [...refs].sort((a, b) => weight(a) - weight(b)).slice(0, NAMED_AT_MOST);
}

/** The feedback for a wrong choice, or null when it names no misconception the catalogue or lesson knows. */
export function misconceptionFeedback({ kind, chosen, refs, own = [], shape }: FeedbackInput): string | null {
  const ifs: string[] = [];
  const corrections: string[] = [];
  const beliefs: string[] = [];
  for (const ref of namedRefs(refs, own)) {
    const m = misconception(ref.id);
    if (m) {
      ifs.push(`if ${m.supposing}`);
      corrections.push(fillLines(m.correction, ref.lines, shape));
      continue;
    }
    const mine = own.find((o) => o.id === ref.id);
    if (mine) {
      beliefs.push(`“${mine.belief.replace(/\.$/, "")}”`);
      corrections.push(mine.correction);
    }
  }
  if (corrections.length === 0) return null;
  const parts: string[] = [];
  if (ifs.length > 0)
    parts.push(
      `You chose ${chosen}: that is ${WOULD[kind] ?? "what you would expect"} ${ifs.join(", or ")}.`,
    );
  if (beliefs.length > 0)
    parts.push(
      `${ifs.length > 0 ? "It also fits" : `You chose ${chosen}, which fits`} the belief ${beliefs.join(" and ")}.`,
    );
  return [...parts, ...corrections].join(" ");
}

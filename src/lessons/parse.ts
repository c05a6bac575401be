// Parses one lesson file (Markdown + YAML front matter + fenced blocks) into a Lesson,
// collecting every problem with the file line it comes from instead of stopping at the first.
import { type Document, isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { CONCEPTS, misconception } from "../misconceptions/catalogue.js";
import { frontMatterSchema, type QuestionInput, questionSchemas } from "./schema.js";
import {
  type CodeBlock,
  type Lesson,
  type LessonMisconception,
  type LessonProblem,
  QUESTION_KINDS,
  type Question,
  type QuestionKind,
  type Section,
} from "./types.js";

const SECTION_HEADING = /^##\s+(.+?)\s*\{#([a-z][a-z0-9-]*)\}\s*$/;
const FENCE_OPEN = /^```\s*([A-Za-z0-9_-]*)\s*$/;
const FENCE_CLOSE = /^```\s*$/;
/** Choices a question offers when it does not say (the right one included). */
export const DEFAULT_CHOICES = 4;

interface RawBlock {
  info: string;
  body: string;
  /** File line of the opening fence. */
  line: number;
}

interface RawSection {
  id: string;
  title: string;
  line: number;
  text: string[];
  blocks: RawBlock[];
}

export interface ParseResult {
  lesson: Lesson | null;
  problems: LessonProblem[];
}

export function parseLesson(text: string, file: string): ParseResult {
  const problems: LessonProblem[] = [];
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  const lines = text.replace(/\r\n?/g, "\n").split("\n");

  // Front matter: the file must start with a `---` line; it ends at the next `---` line.
  if (lines[0]?.trim() !== "---") {
    problem(1, "a lesson file starts with front matter between two '---' lines");
    return { lesson: null, problems };
  }
  const fmEnd = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (fmEnd < 0) {
    problem(1, "front matter is not closed by a '---' line");
    return { lesson: null, problems };
  }
  const frontYaml = parseYaml(lines.slice(1, fmEnd).join("\n"), 2, frontMatterSchema, problem, 1);
  const front = frontYaml?.value ?? null;
  const own: LessonMisconception[] = (front?.misconceptions ?? []).map((m, i) => ({
    ...m,
    line: frontYaml?.lineOf(["misconceptions", i]) ?? 1,
  }));
  for (const m of own) {
    if (misconception(m.id))
      problem(m.line, `misconception "${m.id}" is already in the catalogue; name it without redefining it`);
  }
  const knows = (id: string) => misconception(id) !== undefined || own.some((m) => m.id === id);

  // Body: sections start at `## Title {#id}`; fenced blocks belong to the section they sit in.
  const intro: string[] = [];
  const sections: RawSection[] = [];
  let open: RawBlock | null = null;
  let openBody: string[] = [];
  for (let i = fmEnd + 1; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const lineNo = i + 1;
    if (open) {
      if (FENCE_CLOSE.test(line)) {
        open.body = openBody.join("\n");
        const current = sections.at(-1);
        if (open.info === "python" || open.info === "question") {
          if (current) current.blocks.push(open);
          else problem(open.line, `a \`\`\`${open.info} block must be inside a section ('## Title {#id}')`);
        } else {
          // Any other fenced block (```text, ...) is part of the teaching text.
          (current ? current.text : intro).push(...lines.slice(open.line - 1, lineNo));
        }
        open = null;
      } else {
        openBody.push(line);
      }
      continue;
    }
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      open = { info: fence[1] ?? "", body: "", line: lineNo };
      openBody = [];
      continue;
    }
    if (/^##\s/.test(line)) {
      const m = SECTION_HEADING.exec(line);
      if (!m) {
        problem(lineNo, "a section heading needs an id, like '## The three outcomes {#outcomes}'");
        continue;
      }
      sections.push({ id: m[2] ?? "", title: m[1] ?? "", line: lineNo, text: [], blocks: [] });
      continue;
    }
    (sections.at(-1)?.text ?? intro).push(line);
  }
  if (open) problem(open.line, "this fenced block is never closed with ```");
  if (sections.length === 0) problem(fmEnd + 2, "a lesson needs at least one section ('## Title {#id}')");

  const lessonId = front?.id ?? "?";
  const seenSections = new Set<string>();
  const seenQuestions = new Map<string, number>();
  const built: Section[] = [];
  for (const raw of sections) {
    if (seenSections.has(raw.id)) problem(raw.line, `duplicate section id "${raw.id}"`);
    seenSections.add(raw.id);
    const codeBlocks = raw.blocks.filter((b) => b.info === "python");
    for (const extra of codeBlocks.slice(1)) {
      problem(
        extra.line,
        "a section has one example code block; give a question its own program with `code:`",
      );
    }
    const example = codeBlocks[0];
    if (!example) problem(raw.line, `section "${raw.id}" has no \`\`\`python example code block`);
    const sectionCode: CodeBlock | null = example ? { source: example.body, line: example.line + 1 } : null;
    const questions: Question[] = [];
    for (const block of raw.blocks.filter((b) => b.info === "question")) {
      const q = parseQuestion(block, lessonId, raw.id, sectionCode, knows, problem);
      if (!q) continue;
      const previous = seenQuestions.get(q.id);
      if (previous !== undefined) {
        problem(block.line, `duplicate question id "${q.id}" (first used on line ${previous})`);
        continue;
      }
      seenQuestions.set(q.id, block.line);
      questions.push(q);
    }
    if (questions.length === 0 && raw.blocks.some((b) => b.info === "question") === false) {
      problem(raw.line, `section "${raw.id}" has no \`\`\`question block`);
    }
    if (sectionCode) {
      built.push({
        id: raw.id,
        title: raw.title,
        text: tidy(raw.text),
        code: sectionCode,
        questions,
        line: raw.line,
      });
    }
  }

  if (!front || problems.length > 0) return { lesson: null, problems };
  return {
    lesson: {
      id: front.id,
      title: front.title,
      command: front.command,
      order: front.order,
      prerequisites: front.prerequisites,
      intro: tidy(intro),
      misconceptions: own,
      sections: built,
      file,
    },
    problems,
  };
}

function parseQuestion(
  block: RawBlock,
  lessonId: string,
  sectionId: string,
  sectionCode: CodeBlock | null,
  knows: (misconceptionId: string) => boolean,
  problem: (line: number, message: string) => void,
): Question | null {
  const firstLine = block.line + 1;
  const counter = new LineCounter();
  const doc = parseDocument(block.body, { lineCounter: counter, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? block.line : firstLine + counter.linePos(offset).line - 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problem(lineOf(e.pos[0]), `question YAML: ${e.message.split("\n")[0]}`);
    return null;
  }
  const data: unknown = doc.toJS();
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    problem(block.line, "a question block must be a YAML mapping (id, kind, prompt, ...)");
    return null;
  }
  const kind = (data as { kind?: unknown }).kind;
  const label =
    typeof (data as { id?: unknown }).id === "string"
      ? `question "${(data as { id: string }).id}"`
      : "question";
  if (kind === undefined) {
    problem(block.line, `${label}: field "kind" is missing (one of ${QUESTION_KINDS.join(", ")})`);
    return null;
  }
  if (!QUESTION_KINDS.includes(kind as QuestionKind)) {
    const kindNode = doc.get("kind", true);
    const at = lineOf(isScalar(kindNode) ? kindNode.range?.[0] : undefined);
    problem(
      at,
      `${label}: unknown question kind "${String(kind)}" (expected one of ${QUESTION_KINDS.join(", ")})`,
    );
    return null;
  }
  // The format before misconceptions: a plain string per wrong answer. Say what changed, once per item.
  const written = (data as { distractors?: unknown }).distractors;
  if (Array.isArray(written) && written.some((d) => typeof d === "string")) {
    const field = kind === "first_line" ? "line" : kind === "whole_output" ? "output" : "receives";
    written.forEach((d, i) => {
      if (typeof d !== "string") return;
      const node = doc.getIn(["distractors", i], true) as { range?: [number, number, number] } | undefined;
      problem(
        lineOf(node?.range?.[0]),
        `${label}: distractor ${i + 1} is plain text; each wrong answer names its misconception: \`- { ${field}: ..., misconception: ... }\` (see lessons/README.md)`,
      );
    });
    return null;
  }
  const schema = questionSchemas[kind as QuestionKind];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    reportIssues(parsed.error.issues, doc, lineOf, `${label}:`, block.line, problem);
    return null;
  }
  const input: QuestionInput = parsed.data;
  let code: CodeBlock;
  if (input.code !== undefined) {
    const node = doc.get("code", true);
    const start = isScalar(node) ? lineOf(node.range?.[0]) : block.line;
    // A block scalar (`code: |`) starts its text on the line after the indicator.
    const block_ = isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED");
    code = { source: input.code, line: block_ ? start + 1 : start };
  } else if (sectionCode) {
    code = sectionCode;
  } else {
    problem(block.line, `${label}: no code (the section has no example and the question has no \`code:\`)`);
    return null;
  }
  for (const concept of input.concepts ?? []) {
    if (!(concept in CONCEPTS))
      problem(
        block.line,
        `${label}: unknown concept "${concept}" (one of ${Object.keys(CONCEPTS).join(", ")})`,
      );
  }
  const base = {
    key: `${lessonId}/${input.id}`,
    id: input.id,
    lessonId,
    sectionId,
    prompt: input.prompt,
    hint: input.hint,
    explanation: input.explanation,
    code,
    line: block.line,
    choices: input.choices ?? DEFAULT_CHOICES,
    concepts: input.concepts ?? [],
  };
  // Each hand-written wrong answer names a misconception the catalogue or this lesson defines.
  const named = <T extends { misconception: string }>(list: T[] | undefined) =>
    (list ?? []).map((d, i) => {
      const node = doc.getIn(["distractors", i], true) as { range?: [number, number, number] } | undefined;
      const at = lineOf(node?.range?.[0]);
      if (!knows(d.misconception)) {
        problem(
          at,
          `${label}: distractor ${i + 1} names misconception "${d.misconception}", which is neither in the catalogue (npx tutor misconceptions) nor defined in this lesson's front matter`,
        );
      }
      return { d, at };
    });
  switch (input.kind) {
    case "first_line":
      return {
        ...base,
        kind: "first_line",
        distractors: named(input.distractors).map(({ d, at }) => ({
          text: d.line,
          misconception: d.misconception,
          line: at,
        })),
      };
    case "whole_output":
      return {
        ...base,
        kind: "whole_output",
        distractors: named(input.distractors).map(({ d, at }) => ({
          text: d.output,
          misconception: d.misconception,
          line: at,
        })),
      };
    case "clauses":
      return {
        ...base,
        kind: "clauses",
        focusLine: input.focus_line ?? null,
        focusRun: input.focus_run ?? null,
      };
    case "escapes":
      return {
        ...base,
        kind: "escapes",
        distractors: named(input.distractors).map(({ d, at }) => ({
          choice: "escapes" in d ? { escapes: d.escapes } : { receives: d.receives },
          misconception: d.misconception,
          line: at,
        })),
      };
  }
}

function parseYaml<S extends z.ZodType>(
  source: string,
  firstLine: number,
  schema: S,
  problem: (line: number, message: string) => void,
  fallbackLine: number,
): { value: z.infer<S>; lineOf: (path: (string | number)[]) => number } | null {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? fallbackLine : firstLine + counter.linePos(offset).line - 1;
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problem(lineOf(e.pos[0]), `front matter YAML: ${e.message.split("\n")[0]}`);
    return null;
  }
  const parsed = schema.safeParse(doc.toJS() ?? {});
  if (parsed.success) {
    const at = (path: (string | number)[]) =>
      lineOf((doc.getIn(path, true) as { range?: [number, number, number] } | undefined)?.range?.[0]);
    return { value: parsed.data, lineOf: at };
  }
  reportIssues(parsed.error.issues, doc, lineOf, "front matter:", fallbackLine, problem);
  return null;
}

/** One problem per zod issue, on the line of the offending value (a missing field: on the block's first line). */
function reportIssues(
  issues: z.core.$ZodIssue[],
  doc: Document,
  lineOf: (offset: number | undefined) => number,
  prefix: string,
  blockLine: number,
  problem: (line: number, message: string) => void,
): void {
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      // One problem per unknown key, on the key's own line.
      const map = issue.path.length > 0 ? doc.getIn(issue.path as (string | number)[], true) : doc.contents;
      for (const key of issue.keys) {
        const pair = isMap(map) ? map.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
        const at = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
        problem(lineOf(at), `${prefix} unknown field "${[...issue.path, key].join(".")}"`);
      }
      continue;
    }
    const node = doc.getIn(issue.path as (string | number)[], true) as
      | { range?: [number, number, number] }
      | undefined;
    const missing = issue.code === "invalid_type" && issue.input === undefined;
    const field = issue.path.join(".");
    problem(
      missing ? blockLine : lineOf(node?.range?.[0]),
      `${prefix} ${field ? `field "${field}" ` : ""}${missing ? "is missing" : issue.message}`,
    );
  }
}

/** Joins text lines, dropping leading/trailing blank lines and collapsing runs of blank lines. */
function tidy(lines: string[]): string {
  return lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

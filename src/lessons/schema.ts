// The zod schemas of a lesson file's front matter and of one ```question block.
// Only the shape lives here; ./parse.ts maps zod issues to file lines.
import { z } from "zod";
import type { QUESTION_KINDS } from "./types.js";

const slug = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/, "must be lowercase letters, digits and dashes");

export const frontMatterSchema = z.strictObject({
  id: slug,
  title: z.string().min(1).max(100),
  // Discord's rule for slash command names, restricted to lowercase ASCII for readability.
  command: z.string().regex(/^[a-z0-9_-]{1,32}$/, "must be 1-32 lowercase letters, digits, '-' or '_'"),
  order: z.number().int().min(0),
  prerequisites: z.array(slug).default([]),
  /** Misconceptions the lesson's hand-written wrong answers may name, beside the catalogue's. */
  misconceptions: z
    .array(
      z.strictObject({
        id: slug,
        belief: z.string().min(1).max(200),
        correction: z.string().min(1).max(300),
      }),
    )
    .default([]),
});

/** One line of output, short enough to be a Discord button label. */
const outputLine = z
  .string()
  .min(1)
  .max(80, "must be at most 80 characters (a button label)")
  .refine((s) => !s.includes("\n"), "must be a single line");

const exceptionName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, "must be an exception class name");

const common = {
  id: slug,
  /** Choices offered, the right one included (default 4): derived wrong answers first, then hand-written ones. */
  choices: z.number().int().min(3).max(5).optional(),
  /** Concepts the question tests, beside those its misconceptions give it. */
  concepts: z.array(slug).max(5).optional(),
  prompt: z.string().min(1).max(300),
  hint: z.string().min(1).max(300),
  explanation: z.string().min(1).max(1000),
  /** The question's own program; without it the section's example code is used. */
  code: z.string().min(1).optional(),
};

/** Hand-written wrong answers: optional (wrong answers are derived from misconceptions), each naming its own. */
const distractors = <T extends z.ZodType>(item: T) => z.array(item).max(4).optional();
const named = { misconception: slug };

export const questionSchemas = {
  first_line: z.strictObject({
    ...common,
    kind: z.literal("first_line"),
    distractors: distractors(z.strictObject({ line: outputLine, ...named })),
  }),
  whole_output: z.strictObject({
    ...common,
    kind: z.literal("whole_output"),
    distractors: distractors(z.strictObject({ output: z.string().min(1).max(1000), ...named })),
  }),
  clauses: z.strictObject({
    ...common,
    kind: z.literal("clauses"),
    focus_line: z.number().int().min(1).optional(),
    focus_run: z.number().int().min(1).optional(),
  }),
  escapes: z.strictObject({
    ...common,
    kind: z.literal("escapes"),
    distractors: distractors(
      z.union([
        z.strictObject({ escapes: exceptionName, ...named }),
        z.strictObject({
          receives: z.string().min(1).max(45, "must be at most 45 characters (a button label)"),
          ...named,
        }),
      ]),
    ),
  }),
} satisfies Record<(typeof QUESTION_KINDS)[number], z.ZodType>;

export type QuestionInput = z.infer<(typeof questionSchemas)[keyof typeof questionSchemas]>;

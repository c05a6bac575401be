// A question made from a study group's own code: run twice in the sandbox, answer derived from the run,
// wrong answers from the misconceptions that apply. Refused, with a plain reason, when it cannot make a
// fair question. Knows nothing of Discord.
import { buildChoices, type Choice } from "../lessons/choices.js";
import { deriveAnswer, unusableRun, visibleOutput } from "../lessons/derive.js";
import { DEFAULT_CHOICES } from "../lessons/parse.js";
import type { CodeRunner, Question, QuestionKind } from "../lessons/types.js";
import { deriveWrongAnswers } from "../lessons/wrongAnswers.js";
import { runVariants } from "../misconceptions/variants.js";
import { flowReportOf } from "../picture/types.js";
import type { Derived } from "../quiz/derivation.js";

export const MAX_CODE_LINES = 30;
export const MAX_OUTPUT_LINES = 12;
export const MAX_PROMPT = 300;
/** Where server questions sit inside their lesson (they belong to no section of the lesson file). */
export const SERVER_SECTION = "server";

export const DEFAULT_PROMPTS: Record<QuestionKind, string> = {
  first_line: "What is the first line this program prints?",
  whole_output: "What does this program print?",
  clauses: "Which clauses of the first try statement that runs are executed?",
  escapes: "Does an exception escape, and if not, what does the caller receive?",
};

const HINTS: Record<QuestionKind, string> = {
  first_line:
    "Follow the calls in the order they run: a function's own prints come before its caller can print.",
  whole_output: "Go line by line. When something raises, where does control go next?",
  clauses: "Did the try block raise? Does an except match? Does the try block reach its end?",
  escapes: "Is there an except that matches what is raised? What runs on the way out?",
};

export interface DraftInput {
  /** The question's key: `lessonId/g<id>` once stored, anything unique before. */
  key: string;
  lessonId: string;
  kind: QuestionKind;
  code: string;
  prompt?: string;
}

export interface Draft {
  question: Question;
  derived: Derived;
  /** Every choice the question can offer, right answer first. */
  choices: Choice[];
}

export type DraftResult = { ok: true; draft: Draft } | { ok: false; reason: string };

/** The question a stored server question stands for (its key includes the lesson, its id the store's). */
export function serverQuestion(input: DraftInput): Question {
  const base = {
    key: input.key,
    id: input.key.split("/")[1] ?? input.key,
    lessonId: input.lessonId,
    sectionId: SERVER_SECTION,
    prompt: input.prompt?.trim() || DEFAULT_PROMPTS[input.kind],
    hint: HINTS[input.kind],
    explanation: "The answer comes from running this code in the sandbox; the clause trace shows why.",
    code: { source: input.code, line: 1 },
    line: 1,
    choices: DEFAULT_CHOICES,
    concepts: [],
  };
  if (input.kind === "clauses") return { ...base, kind: "clauses", focusLine: null, focusRun: null };
  return { ...base, kind: input.kind, distractors: [] };
}

const lines = (text: string) => (text === "" ? 0 : text.replace(/\n$/, "").split("\n").length);

/** Runs the code twice (and its misconception rules once) and makes the question, or says why not. */
export async function draftQuestion(input: DraftInput, runner: CodeRunner): Promise<DraftResult> {
  const refuse = (reason: string): DraftResult => ({ ok: false, reason });
  const code = input.code.replace(/\r\n?/g, "\n").replace(/\s+$/, "");
  if (code.trim() === "") return refuse("There is no code: paste the program the question is about.");
  const codeLines = lines(code);
  if (codeLines > MAX_CODE_LINES)
    return refuse(`The code has ${codeLines} lines; a question's code must fit in ${MAX_CODE_LINES}.`);
  if ((input.prompt ?? "").length > MAX_PROMPT)
    return refuse(`The prompt is longer than ${MAX_PROMPT} characters.`);
  const question = serverQuestion({ ...input, code: `${code}\n` });
  const source = question.code.source;

  const first = await runner({ code: source });
  const unusable = unusableRun(first);
  if (unusable)
    return refuse(
      unusable.startsWith("the code ")
        ? `The code ${unusable.slice(9)}.`
        : `The code failed to run: ${unusable}.`,
    );
  const second = await runner({ code: source });
  const shown = visibleOutput(first);
  if (shown !== visibleOutput(second) || JSON.stringify(first.tries) !== JSON.stringify(second.tries))
    return refuse(
      "The code printed something different on its second run (a clock, random numbers, ids?); a question needs the same answer every time.",
    );
  if (shown === "")
    return refuse("The code prints nothing, so there is nothing to ask about: add a print().");
  const outputLines = lines(shown);
  if (outputLines > MAX_OUTPUT_LINES)
    return refuse(
      `The code prints ${outputLines} lines; a question's output must fit in ${MAX_OUTPUT_LINES}.`,
    );
  const derivation = deriveAnswer(question, first);
  if (!derivation.ok) return refuse(`This code cannot make that kind of question: ${derivation.reason}.`);

  const report = await runVariants(source, runner);
  const wrong = deriveWrongAnswers(question, first, derivation.answer, report);
  if (wrong.length === 0)
    return refuse(
      "No misconception gives a wrong answer that differs from the real one for this code, so there would be nothing to choose between. Code where it matters which clauses run (a return in try, an error an except does not name, ...) makes a better question.",
    );
  const derived: Derived = {
    answer: derivation.answer,
    trace: first.explanation,
    flow: flowReportOf(first),
    wrong,
    shape: report.shape,
  };
  const clauses = question.kind === "clauses";
  return {
    ok: true,
    draft: { question, derived, choices: buildChoices(question, derivation.answer, clauses ? [] : wrong) },
  };
}

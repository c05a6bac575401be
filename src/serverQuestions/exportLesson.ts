// A server's questions as a lesson file in the lessons/ format, so a good question can be contributed back:
// one section per lesson the questions belong to, each question with its own `code:`. Pure text.
import type { Lesson, QuestionKind } from "../lessons/types.js";

export interface ExportedQuestion {
  id: number;
  lessonId: string;
  kind: QuestionKind;
  prompt: string;
  hint: string;
  code: string;
}

const quote = (text: string) => JSON.stringify(text);

/** `code: |2` keeps the code exactly, even when its first line is indented. */
function codeField(code: string): string {
  const body = code.replace(/\s+$/, "").split("\n");
  return ["code: |2", ...body.map((l) => (l === "" ? "" : `  ${l}`))].join("\n");
}

export function exportLesson(serverName: string, questions: ExportedQuestion[], lessons: Lesson[]): string {
  const slug =
    `server-${serverName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")}`
      .slice(0, 40)
      .replace(/-+$/, "") || "server-questions";
  const out = [
    "---",
    `id: ${slug}`,
    `title: ${quote(`Questions from ${serverName}`.slice(0, 100))}`,
    `command: ${slug.slice(0, 32).replace(/-+$/, "")}`,
    "order: 90",
    "prerequisites: []",
    "---",
    "",
    `Questions this study group made from its own code with \`/quiz create\`. Their answers and wrong`,
    "choices are derived by running the code: check them with `npx tutor lessons check --dir DIR`.",
  ];
  const byLesson = new Map<string, ExportedQuestion[]>();
  for (const q of questions) byLesson.set(q.lessonId, [...(byLesson.get(q.lessonId) ?? []), q]);
  for (const [lessonId, list] of byLesson) {
    const title = lessons.find((l) => l.id === lessonId)?.title ?? lessonId;
    const first = list[0] as ExportedQuestion;
    out.push(
      "",
      `## About ${title.replace(/\{#/g, "{ #")} {#from-${lessonId}}`,
      "",
      `Questions on ${title}, from this group's own code.`,
      "",
      "```python",
      first.code.replace(/\s+$/, ""),
      "```",
    );
    for (const q of list) {
      out.push(
        "",
        "```question",
        `id: g${q.id}`,
        `kind: ${q.kind}`,
        `prompt: ${quote(q.prompt)}`,
        `hint: ${quote(q.hint)}`,
        `explanation: ${quote("The answer comes from running this code: follow which clauses run.")}`,
        codeField(q.code),
        "```",
      );
    }
  }
  return `${out.join("\n")}\n`;
}

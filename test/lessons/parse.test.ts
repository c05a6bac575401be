// The lesson format: what a teacher writes becomes a Lesson, and each mistake is reported at its line.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { formatProblem, parseLesson, readLessons } from "../../src/lessons/index.js";

const fixtures = new URL("./fixtures/", import.meta.url).pathname;

async function problemsOf(dir: string): Promise<string[]> {
  const set = await readLessons(`${fixtures}${dir}`);
  return set.problems.map((p) => formatProblem({ ...p, file: p.file.replace(fixtures, "") }));
}

describe("lesson parser", () => {
  it("reads front matter, sections, example code and questions with their lines", async () => {
    const set = await readLessons(`${fixtures}valid`);
    expect(set.problems).toEqual([]);
    const [lesson] = set.lessons;
    expect(lesson).toMatchObject({
      id: "basics",
      command: "basics",
      order: 1,
      prerequisites: [],
      intro: "Intro text.",
    });
    expect(lesson?.sections.map((s) => s.id)).toEqual(["handled", "escaping"]);
    const [handled, escaping] = lesson?.sections ?? [];
    expect(handled?.text).toBe("Some teaching text.");
    expect(handled?.code.line).toBe(16);
    expect(handled?.code.source.split("\n")[0]).toBe("def parse(text):");
    expect(handled?.questions.map((q) => [q.key, q.kind, q.line])).toEqual([
      ["basics/first", "first_line", 31],
      ["basics/whole", "whole_output", 42],
      ["basics/clauses-second", "clauses", 63],
    ]);
    // A question without `code:` uses the section's example.
    expect(handled?.questions[0]?.code).toBe(handled?.code);
    expect(escaping?.questions[0]).toMatchObject({
      kind: "escapes",
      choices: 4,
      distractors: [
        { choice: { receives: "5" }, misconception: "error-returns-none" },
        { choice: { receives: "None" }, misconception: "error-returns-none" },
      ],
    });
    // Each hand-written wrong answer keeps the misconception it names and its own line.
    expect(handled?.questions[0]).toMatchObject({
      distractors: [
        { text: "bad x", misconception: "later-line", line: 38 },
        { text: "7", misconception: "later-line", line: 39 },
      ],
    });
  });

  const lesson = (front: string[], question: string[]) =>
    [
      "---",
      "id: t",
      "title: t",
      "command: t",
      "order: 1",
      ...front,
      "---",
      "## S {#s}",
      "```python",
      'print("x")',
      "```",
      "```question",
      "id: q",
      "kind: first_line",
      "prompt: p",
      "hint: h",
      "explanation: e",
      ...question,
      "```",
    ].join("\n");

  it("refuses a hand-written wrong answer whose misconception nobody defines, on its line", () => {
    const text = lesson(
      [],
      [
        "distractors:",
        "  - { line: y, misconception: finally-skipped-on-error }",
        "  - { line: z, misconception: made-up }",
      ],
    );
    expect(parseLesson(text, "l.md").problems.map(formatProblem)).toEqual([
      'l.md:19: question "q": distractor 2 names misconception "made-up", which is neither in the catalogue (npx tutor misconceptions) nor defined in this lesson\'s front matter',
    ]);
  });

  it("accepts a misconception the lesson defines, and refuses redefining a catalogue one", () => {
    const own = [
      "misconceptions:",
      "  - id: made-up",
      '    belief: "x is y"',
      '    correction: "x is x"',
      "  - id: jump-skips-finally",
      '    belief: "b"',
      '    correction: "c"',
    ];
    const { lesson: parsed, problems } = parseLesson(
      lesson(own, ["distractors:", "  - { line: z, misconception: made-up }"]),
      "l.md",
    );
    expect(problems.map(formatProblem)).toEqual([
      'l.md:10: misconception "jump-skips-finally" is already in the catalogue; name it without redefining it',
    ]);
    expect(parsed).toBeNull();
    const ok = parseLesson(
      lesson(own.slice(0, 4), ["choices: 5", "distractors:", "  - { line: z, misconception: made-up }"]),
      "l.md",
    );
    expect(ok.problems).toEqual([]);
    expect(ok.lesson?.misconceptions).toEqual([
      { id: "made-up", belief: "x is y", correction: "x is x", line: 7 },
    ]);
    expect(ok.lesson?.sections[0]?.questions[0]).toMatchObject({ choices: 5, concepts: [] });
  });

  it("explains the old plain-text wrong answers, one problem per item", () => {
    const text = lesson([], ["distractors:", "  - y", "  - { line: z, misconception: later-line }"]);
    expect(parseLesson(text, "l.md").problems.map(formatProblem)).toEqual([
      'l.md:18: question "q": distractor 1 is plain text; each wrong answer names its misconception: `- { line: ..., misconception: ... }` (see lessons/README.md)',
    ]);
  });

  it("needs no hand-written wrong answers at all, and refuses an unknown concept", () => {
    expect(parseLesson(lesson([], []), "l.md").problems).toEqual([]);
    expect(
      parseLesson(lesson([], ["concepts: [finally-always, spelling]"]), "l.md").problems.map(formatProblem),
    ).toEqual([
      expect.stringMatching(/^l\.md:11: question "q": unknown concept "spelling" \(one of try-flow, /),
    ]);
  });

  it("reports a missing field on the question's line", async () => {
    expect(await problemsOf("missing-field")).toEqual([
      'missing-field/missing.md:14: question "no-hint": field "hint" is missing',
    ]);
  });

  it("reports an unknown question kind on the kind's line", async () => {
    const [line, ...rest] = await problemsOf("unknown-kind");
    expect(rest).toEqual([]);
    expect(line).toMatch(
      /^unknown-kind\/unknown\.md:16: question "guess": unknown question kind "guess_the_number"/,
    );
  });

  it("reports two questions with one id", async () => {
    expect(await problemsOf("duplicate-id")).toEqual([
      'duplicate-id/dup.md:26: duplicate question id "same-id" (first used on line 15)',
    ]);
  });

  it("reports front matter, heading and YAML mistakes with their lines", () => {
    const text = [
      "---",
      "id: Bad Id",
      "title: t",
      "command: Finally",
      "order: 1",
      "colour: blue",
      "---",
      "## No id here",
      "## Fine {#fine}",
      "```python",
      'print("x")',
      "```",
      "```question",
      "id: q",
      "kind: first_line",
      "prompt: [unclosed",
      "```",
    ].join("\n");
    const problems = parseLesson(text, "l.md").problems.map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(/^l\.md:2: front matter: field "id" must be lowercase/),
      expect.stringMatching(/^l\.md:4: front matter: field "command" must be 1-32 lowercase/),
      'l.md:6: front matter: unknown field "colour"',
      "l.md:8: a section heading needs an id, like '## The three outcomes {#outcomes}'",
      expect.stringMatching(/^l\.md:1[4-7]: question YAML: /),
    ]);
  });

  it("parses every lesson of the course without problems", async () => {
    const set = await readLessons(new URL("../../lessons/", import.meta.url).pathname);
    expect(set.problems.map(formatProblem)).toEqual([]);
    expect(set.lessons.map((l) => [l.id, l.command])).toEqual([
      ["try-except", "tryexcept"],
      ["finally", "finally"],
      ["with", "with"],
      ["raise", "raise"],
    ]);
    const finallyLesson = set.lessons.find((l) => l.id === "finally");
    expect(finallyLesson?.sections.length).toBeGreaterThanOrEqual(6);
    for (const section of finallyLesson?.sections ?? [])
      expect(section.questions.length).toBeGreaterThanOrEqual(3);
    for (const lesson of set.lessons) {
      expect(lesson.sections.length).toBeGreaterThanOrEqual(4);
      expect(lesson.sections.flatMap((s) => s.questions).length).toBeGreaterThanOrEqual(10);
    }
    // The lesson text is the project's own; the reference's example functions must not appear.
    const all = await Promise.all(set.lessons.map((l) => readFile(l.file, "utf8")));
    for (const text of all)
      expect(text).not.toMatch(/risky_thing|might_fail|def example\(\)|def timed\(label: str\)/);
  });
});

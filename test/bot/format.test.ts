// What a member reads after a run: Discord's limits kept whatever the program printed.
import { describe, expect, it } from "vitest";
import { customId } from "../../src/bot/customId.js";
import { EMBED_DESCRIPTION_MAX, EMBEDS_TOTAL_MAX } from "../../src/bot/discordLimits.js";
import { explanationEmbeds, formatRun, neutraliseBackticks, statusLine } from "../../src/bot/format.js";
import { firstCodeBlock } from "../../src/bot/runFlow.js";
import type { ExplainedRun } from "../../src/runs/index.js";

const result = (over: Partial<ExplainedRun>): ExplainedRun => ({
  status: "ok",
  exitCode: 0,
  stdout: "",
  stderr: "",
  truncated: false,
  durationMs: 12,
  exception: null,
  tries: [],
  output: [],
  explanation: "",
  ...over,
});

describe("formatRun", () => {
  it("keeps output backticks from closing the code block", () => {
    const out = formatRun(result({ stdout: "```\n@everyone ``` `x`\n" }));
    expect(out.content.split("```").length).toBe(3);
    expect(neutraliseBackticks("```")).not.toContain("``");
  });

  it("stays within 2000 characters and attaches the whole output when it is long", () => {
    const stdout = Array.from({ length: 3000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    const out = formatRun(result({ stdout, explanation: "e".repeat(5000) }), "-# header");
    expect(out.content.length).toBeLessThanOrEqual(2000);
    expect(out.file?.name).toBe("output.txt");
    expect(out.file?.data.toString()).toBe(stdout);
    expect(out.content.split("```").length).toBe(3);
    const ticks = formatRun(result({ stdout: "`".repeat(1500) }));
    expect(ticks.content.length).toBeLessThanOrEqual(2000);
    expect(ticks.content.split("```").length).toBe(3);
  });

  it("asks for input only when the program called input() without any", () => {
    const hint = /asked for input but got none/;
    // no stdin given, but the program never read any: no hint (every run without stdin has stdinEmpty)
    expect(formatRun(result({ stdout: "hi\n", stdinEmpty: true })).content).not.toMatch(hint);
    const eof = { type: "EOFError", message: "EOF when reading a line", line: 1 };
    expect(formatRun(result({ status: "exception", exception: eof, stdinEmpty: true })).content).toMatch(
      hint,
    );
    // stdin was given and ran out: the member did give input, so no "add it" hint
    expect(formatRun(result({ status: "exception", exception: eof, stdinEmpty: false })).content).not.toMatch(
      hint,
    );
  });

  it("shows short output inline with no file, and the explanation in an embed", () => {
    const out = formatRun(result({ stdout: "hi\n", explanation: "The try body completed." }));
    expect(out.file).toBeNull();
    expect(out.content).toContain("```\nhi\n```");
    expect(out.content).not.toContain("The try body completed.");
    expect(out.embeds).toEqual([{ description: "The try body completed." }]);
  });

  it("never clips an explanation that fits one embed, however long the output", () => {
    const block = (i: number) =>
      `**\`try\` at line ${i}**\n- body raised \`ValueError\`${"\n- more".repeat(60)}`;
    const explanation = [1, 2, 3, 4, 5].map(block).join("\n\n");
    expect(explanation.length).toBeGreaterThan(2000);
    expect(explanation.length).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
    const stdout = Array.from({ length: 3000 }, (_, i) => `line ${i}`).join("\n");
    const out = formatRun(result({ stdout, explanation }), "-# header");
    expect(out.content.length).toBeLessThanOrEqual(2000);
    expect(out.embeds).toEqual([{ description: explanation }]);
  });

  it("splits an over-long explanation between blocks over several embeds, within 6000 in all", () => {
    const blocks = Array.from({ length: 8 }, (_, i) => `block ${i} ${"x".repeat(990)}`);
    const embeds = explanationEmbeds(blocks.join("\n\n"));
    expect(embeds.map((e) => e.description?.split("\n\n").map((b) => b.slice(0, 7)))).toEqual([
      ["block 0", "block 1", "block 2", "block 3"],
      ["block 4", "_...the"],
    ]);
    const total = embeds.reduce((n, e) => n + (e.description?.length ?? 0), 0);
    expect(total).toBeLessThanOrEqual(EMBEDS_TOTAL_MAX);
    for (const e of embeds) expect(e.description?.length).toBeLessThanOrEqual(EMBED_DESCRIPTION_MAX);
    expect(explanationEmbeds("  ")).toEqual([]);
  });

  it("names each way a run can stop", () => {
    const lines = (
      ["timeout", "memory", "output_limit", "process_limit", "crashed", "refused", "exit"] as const
    ).map((status) => statusLine(result({ status })));
    expect(new Set(lines).size).toBe(lines.length);
    expect(
      statusLine(result({ status: "exception", exception: { type: "KeyError", message: "'a'", line: 3 } })),
    ).toBe("💥 **Uncaught KeyError** on line 3: 'a'");
  });
});

describe("message code and ids", () => {
  it("takes the first Python block, else the first bare block", () => {
    expect(firstCodeBlock("a\n```js\nx\n```\n```py\nprint(1)\n```")).toBe("print(1)\n");
    expect(firstCodeBlock("```\nprint(2)\n```")).toBe("print(2)\n");
    expect(firstCodeBlock("no code")).toBeNull();
  });

  it("refuses a custom_id over Discord's 100 characters", () => {
    expect(customId("qa", "finally/q1", "123", "A")).toBe("qa:finally/q1:123:A");
    expect(() => customId("x", "y".repeat(100))).toThrow(/100/);
  });
});

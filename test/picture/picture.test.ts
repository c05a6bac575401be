// The picture on hand-made reports: nothing overlaps or leaves the canvas, long runs and long
// programs stay readable, member text is escaped, every glyph it draws is in the font, and the PNG
// is what Discord expects.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { drawFlow, hasFlow, renderFlowPng } from "../../src/picture/index.js";
import { type Layout, layoutFlow, markWidthOf, SIZE } from "../../src/picture/layout.js";
import { FONT_DIR, FONT_FILES, glyphText, pngScale } from "../../src/picture/raster.js";
import { writeSvg } from "../../src/picture/svg.js";
import { svgText } from "../../src/picture/text.js";
import { THEMES } from "../../src/picture/theme.js";
import type { FlowReport } from "../../src/picture/types.js";
import { fortyLineCase, lines, loopCase, printed, report, tryRun } from "./cases.js";
import { readStructure } from "./svgRead.js";

interface Box {
  what: string;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

/** Every mark's box (all its rows), the listing's code column, and the lanes. */
function boxes(layout: Layout): Box[] {
  const out: Box[] = [];
  layout.rows.forEach((row) => {
    for (const m of row.marks) {
      out.push({
        what: `${m.mark.kind} "${m.lines.join(" ")}" (line ${m.mark.line})`,
        x1: m.x,
        x2: m.x + m.width,
        y1: row.y,
        y2: row.y + m.lines.length * SIZE.row,
      });
      // The text of each row fits its badge.
      for (const [i, l] of m.lines.entries())
        expect(
          markWidthOf(m.mark, i === 0 ? m.label : "", l),
          `text of ${m.mark.kind} fits`,
        ).toBeLessThanOrEqual(m.width + 0.01);
    }
  });
  return out;
}

function expectNoOverlap(layout: Layout): void {
  const all = boxes(layout);
  for (const b of all) {
    expect(b.x1, b.what).toBeGreaterThanOrEqual(layout.markX - 0.01);
    expect(b.x2, b.what).toBeLessThanOrEqual(layout.width - SIZE.pad + 0.01);
    expect(b.y2, b.what).toBeLessThanOrEqual(layout.footerY);
  }
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i] as Box;
      const b = all[j] as Box;
      const overlap = a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
      expect(overlap, `${a.what} overlaps ${b.what}`).toBe(false);
    }
  // Lanes sit between the line numbers and the code, inside the listing.
  for (const l of layout.lanes) {
    expect(l.x).toBeGreaterThan(layout.lineNumberX);
    expect(l.x + SIZE.laneW / 2).toBeLessThanOrEqual(layout.codeX);
  }
  // Two lanes of overlapping statements never share a column.
  for (const a of layout.lanes)
    for (const b of layout.lanes)
      if (a !== b && a.column === b.column) expect(a.last < b.first || b.last < a.first).toBe(true);
  expect(layout.height).toBeGreaterThan(layout.footerY);
}

const EXAMPLES = join(import.meta.dirname, "../../../shared/clause-report/examples");

describe("layout", () => {
  it("nothing overlaps or leaves the picture: a loop, the 40-line program, a crowded line, deep nesting", () => {
    const crowded = report({
      tries: [
        tryRun({
          line: 1,
          body: "raised",
          raised: "ZeroDivisionError",
          raisedLine: 2,
          handler: 3,
          outcome: "caught",
        }),
      ],
      output: Array.from({ length: 12 }, (_, i) =>
        printed(`value number ${i} ${"x".repeat(i * 9)}`, 4, "except"),
      ),
    });
    const crowdedSource = lines(
      "try:",
      "    1 / 0",
      "except ZeroDivisionError:",
      "    for i in range(12): print(i)",
    );
    const depth = 10;
    const nested = Array.from({ length: depth }, (_, d) => `${"    ".repeat(d)}try:`)
      .concat([`${"    ".repeat(depth)}raise KeyError("deep")`])
      .concat(
        Array.from(
          { length: depth },
          (_, d) => `${"    ".repeat(depth - 1 - d)}finally:\n${"    ".repeat(depth - d)}pass`,
        ),
      );
    const nestedSource = lines(...nested.join("\n").split("\n"));
    const nestedLines = nestedSource.split("\n");
    const nestedTries = Array.from({ length: depth }, (_, d) =>
      tryRun({
        line: d + 1,
        body: "raised",
        raised: "KeyError",
        raisedLine: depth + 1,
        finally: true,
        outcome: "propagated",
        exception: "KeyError",
        pending: { kind: "exception", type: "KeyError" },
      }),
    );
    expect(nestedLines[depth]).toContain("raise");
    const cases: [string, FlowReport, string][] = [
      ["loop", loopCase(40, 7).report, loopCase(40, 7).source],
      ["forty", fortyLineCase().report, fortyLineCase().source],
      ["crowded", crowded, crowdedSource],
      ["nested", report({ tries: nestedTries, status: "exception" }), nestedSource],
    ];
    for (const [name, r, source] of cases) {
      const layout = layoutFlow(r, source);
      expect(layout.width, name).toBeGreaterThanOrEqual(SIZE.minWidth);
      expect(layout.width, name).toBeLessThanOrEqual(SIZE.maxWidth);
      expectNoOverlap(layout);
    }
  });

  it.skipIf(!safeReaddir(EXAMPLES).length)(
    "nothing overlaps in the clause-report examples (reports from their JSON)",
    () => {
      for (const f of safeReaddir(EXAMPLES).filter((n) => n.endsWith(".json"))) {
        const spec = JSON.parse(readFileSync(join(EXAMPLES, f), "utf8")) as {
          tries: FlowReport["tries"];
          status: FlowReport["status"];
        };
        const source = readFileSync(join(EXAMPLES, f.replace(/\.json$/, ".py")), "utf8");
        expectNoOverlap(layoutFlow(report({ tries: spec.tries, status: spec.status }), source));
      }
    },
  );

  it("a long loop: the first three runs and the last are drawn, numbered, and the rest counted", () => {
    const { report: r, source } = loopCase(40, 2);
    const picture = drawFlow(r, source);
    const s = readStructure(picture.svg);
    expect(s.runs.map((a) => a.run)).toEqual(["1", "2", "3", "40"]);
    expect(picture.svg).toContain("try at line 2 ran 40 times: runs 1-3 and 40 drawn, 36 left out");
    expect(picture.alt).toContain("ran 40 times (36 not drawn)");
    // Runs that read the same share one mark: "#1,3,40 → …"; run 2 raised.
    const outcomes = s.marks.filter((m) => m.mark === "outcome");
    expect(outcomes.map((m) => [m.runs, m.outcome])).toEqual([
      ["1,3,40", "completed"],
      ["2", "caught"],
    ]);
    expect(s.marks.find((m) => m.mark === "raise")).toMatchObject({
      line: "4",
      runs: "2",
      type: "ValueError",
    });
  });

  it("five runs are all drawn (leaving one out would save nothing)", () => {
    const { report: r, source } = loopCase(5, 3);
    expect(readStructure(drawFlow(r, source).svg).runs.map((a) => a.run)).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("the body stops at the line that raised: the lines after it are dimmed, the handler's are not", () => {
    const source = lines(
      "try:",
      "    x = 1",
      '    int("x")',
      "    print(x)",
      "except ValueError:",
      '    print("bad")',
      "else:",
      "    pass",
    );
    const r = report({
      tries: [
        tryRun({
          line: 1,
          body: "raised",
          raised: "ValueError",
          raisedLine: 3,
          handler: 5,
          outcome: "caught",
        }),
      ],
      output: [printed("bad", 6, "except")],
    });
    expect(readStructure(drawFlow(r, source).svg).skippedLines).toEqual([4, 7, 8]);
  });

  it("a long program folds the lines where nothing happens, and lists every line of the try", () => {
    const filler = Array.from({ length: 100 }, (_, i) => `x${i} = ${i}`);
    const source = lines(
      ...filler,
      "try:",
      "    x = int('no')",
      "except ValueError:",
      "    print('no')",
      ...filler,
    );
    const r = report({
      tries: [
        tryRun({
          line: 101,
          body: "raised",
          raised: "ValueError",
          raisedLine: 102,
          handler: 103,
          outcome: "caught",
        }),
      ],
      output: [printed("no", 104, "except")],
    });
    const layout = layoutFlow(r, source);
    const listed = layout.rows.filter((row) => row.line !== null).map((row) => row.line);
    expect(listed).toEqual([100, 101, 102, 103, 104, 105]);
    expect(layout.rows.filter((row) => row.folded > 0).map((row) => row.folded)).toEqual([99, 99]);
    expect(drawFlow(r, source).svg).toContain("… 99 lines not shown");
  });

  it("a raise in a function the body called is named on the try, with its line", () => {
    const source = lines(
      "def f():",
      "    raise KeyError('k')",
      "",
      "try:",
      "    f()",
      "except KeyError:",
      "    pass",
    );
    const r = report({
      tries: [
        tryRun({ line: 4, body: "raised", raised: "KeyError", raisedLine: 2, handler: 6, outcome: "caught" }),
      ],
    });
    const mark = readStructure(drawFlow(r, source).svg).marks.find((m) => m.mark === "raise");
    expect(mark).toMatchObject({ line: "4", type: "KeyError" });
    expect(drawFlow(r, source).svg).toContain("⚡ KeyError at line 2");
  });

  it("what finally found pending and how it ended: a return swallowing an exception, a return replaced", () => {
    const source = lines(
      "def f():",
      "    try:",
      "        return 'a'",
      "    finally:",
      "        return 'b'",
      "print(f())",
    );
    const replaced = report({
      tries: [
        tryRun({
          line: 2,
          body: "returned",
          finally: true,
          outcome: "returned",
          pending: { kind: "return", value: "'a'" },
          returnValue: "'b'",
        }),
      ],
    });
    const s = readStructure(drawFlow(replaced, source).svg);
    expect(s.marks.find((m) => m.mark === "pending")).toMatchObject({ line: "4", pending: "return" });
    expect(s.marks.find((m) => m.mark === "outcome")).toMatchObject({
      line: "5",
      "outcome-kind": "overridden",
    });
    expect(drawFlow(replaced, source).svg).toContain("finally's return 'b' replaced return 'a'");
    const swallowed = report({
      tries: [
        tryRun({
          line: 2,
          body: "raised",
          raised: "RuntimeError",
          raisedLine: 3,
          finally: true,
          outcome: "returned",
          pending: { kind: "exception", type: "RuntimeError" },
        }),
      ],
    });
    expect(drawFlow(swallowed, source).svg).toContain("return swallowed RuntimeError");
  });

  it("with statements: enter, what __exit__ got, and whether it suppressed it", () => {
    const source = lines("with open_it() as f:", "    raise KeyError('k')", "print('after')");
    const r = report({
      withs: [
        {
          line: 1,
          body: "raised",
          raised: "KeyError",
          suppressed: true,
          outcome: "completed",
          exception: null,
        },
      ],
      output: [printed("after", 3)],
    });
    const picture = drawFlow(r, source);
    const s = readStructure(picture.svg);
    expect(s.runs).toEqual([
      expect.objectContaining({ kind: "with", line: "1", got: "KeyError", suppressed: "true" }),
    ]);
    expect(picture.svg).toContain("__exit__(KeyError): suppressed");
    expect(picture.alt).toContain("__exit__ got KeyError and suppressed it");
  });

  it("raise … from in a handler: the new exception names its cause", () => {
    const source = lines("try:", "    int('x')", "except ValueError as e:", "    raise KeyError('k') from e");
    const r = report({
      status: "exception",
      exception: { type: "KeyError", message: "'k'", line: 4 },
      tries: [
        tryRun({
          line: 1,
          body: "raised",
          raised: "ValueError",
          raisedLine: 2,
          handler: 3,
          outcome: "propagated",
          exception: "KeyError",
        }),
      ],
    });
    const picture = drawFlow(r, source);
    const raises = readStructure(picture.svg).marks.filter((m) => m.mark === "raise");
    expect(raises.map((m) => [m.line, m.type, m.from ?? ""])).toEqual([
      ["2", "ValueError", ""],
      ["4", "KeyError", "ValueError"],
    ]);
    expect(picture.svg).toContain("⚡ KeyError: 'k' (cause: ValueError)");
    expect(picture.svg).toContain("↑ KeyError replaced ValueError");
  });
});

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

describe("drawing", () => {
  it("member text is escaped and control characters are drawn as '?': the SVG stays valid", () => {
    const source = lines("try:", '    print("<b>&\\x07")', "finally:", "    pass");
    const r = report({
      tries: [tryRun({ line: 1, finally: true })],
      output: [printed('<b>&"\u0007\ud800', 2, "try")],
    });
    const { svg } = drawFlow(r, source);
    expect(svg).toContain("&lt;b&gt;&amp;&quot;??");
    expect(() => new Resvg(svg)).not.toThrow();
  });

  it("light and dark themes", () => {
    const { report: r, source } = loopCase(2, 2);
    for (const name of ["dark", "light"] as const) {
      const { svg } = drawFlow(r, source, { theme: name });
      expect(svg).toContain(`data-theme="${name}"`);
      expect(svg).toContain(`fill="${THEMES[name].background}"`);
    }
  });

  it("every symbol the picture draws has a glyph in its fonts (no empty boxes)", () => {
    const dir = join(import.meta.dirname, "../../src/picture");
    const symbols = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts")))
      for (const ch of readFileSync(join(dir, f), "utf8"))
        if ((ch.codePointAt(0) ?? 0) > 0x7e) symbols.add(ch);
    expect(symbols.size).toBeGreaterThan(5);
    const inked = (text: string) => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#fff"/><text x="4" y="22" font-size="20" font-family="DejaVu Sans Mono">${text}</text></svg>`;
      const image = new Resvg(svg, {
        font: {
          loadSystemFonts: false,
          fontFiles: FONT_FILES.map((f) => join(FONT_DIR, f)),
          defaultFontFamily: "DejaVu Sans Mono",
        },
      }).render();
      return image.pixels.some((v, i) => i % 4 !== 3 && v < 200);
    };
    expect(inked("A")).toBe(true);
    const missing = [...symbols].filter((s) => !inked(s));
    expect(missing, "symbols without a glyph").toEqual([]);
  });

  it("the PNG: 1.25 to 2 pixels per unit, indexed colours, under 200 KB for the 40-line program", () => {
    const { report: r, source } = fortyLineCase();
    const { png, width, height, alt } = renderFlowPng(r, source);
    const scale = pngScale(width, height);
    expect(scale).toBe(1.25); // a 40-line picture is a large one: about a megapixel
    expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
    expect(png.subarray(12, 16).toString("ascii")).toBe("IHDR");
    expect(Math.abs(png.readUInt32BE(16) - width * scale)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.readUInt32BE(20) - height * scale)).toBeLessThanOrEqual(1);
    expect(png[25]).toBe(3); // palette
    expect(png.length).toBeLessThan(200 * 1024);
    expect(alt.length).toBeLessThanOrEqual(1024);
    const small = renderFlowPng(loopCase(2, 2).report, loopCase(2, 2).source);
    expect(pngScale(small.width, small.height)).toBe(2);
    expect(small.png.readUInt32BE(16)).toBe(small.width * 2);
  });

  it("text drawn as cached glyph outlines looks the same as resvg's own text", () => {
    const { report: r, source } = fortyLineCase();
    const layout = layoutFlow(r, source);
    const render = (svg: string) =>
      new Resvg(svg, {
        font: {
          loadSystemFonts: false,
          fontFiles: FONT_FILES.map((f) => join(FONT_DIR, f)),
          defaultFontFamily: "DejaVu Sans Mono",
        },
      }).render().pixels;
    const shaped = render(writeSvg(layout, THEMES.dark, svgText));
    const outlined = render(writeSvg(layout, THEMES.dark, glyphText()));
    expect(outlined.length).toBe(shaped.length);
    let differ = 0;
    let inked = 0;
    for (let i = 0; i < shaped.length; i += 4) {
      const d = Math.max(
        Math.abs((shaped[i] as number) - (outlined[i] as number)),
        Math.abs((shaped[i + 1] as number) - (outlined[i + 1] as number)),
        Math.abs((shaped[i + 2] as number) - (outlined[i + 2] as number)),
      );
      if (d > 40) differ++;
      if ((shaped[i] as number) > 150) inked++;
    }
    expect(inked).toBeGreaterThan(1000); // there is text to compare
    expect(differ / (shaped.length / 4)).toBeLessThan(0.002);
  });

  it("alt text says the path in words", () => {
    const { report: r, source } = fortyLineCase();
    const { alt } = drawFlow(r, source);
    expect(alt).toContain(
      "try at line 5: body raised JSONDecodeError at line 6, except json.JSONDecodeError as e (line 8) ran; caught, went on.",
    );
    expect(alt).toContain(
      "try at line 15: body ran, finally (line 18) ran, return pending in finally; returned 8080.",
    );
    expect(alt).toContain("try at line 30: body raised KeyError at line 24");
    expect(alt).toContain("5 printed lines");
  });

  it("hasFlow: a try, a with, or an uncaught exception at a line of the program; not a syntax error", () => {
    expect(hasFlow(report({ tries: [tryRun({ line: 1 })] }))).toBe(true);
    expect(
      hasFlow(
        report({
          withs: [
            {
              line: 1,
              body: "completed",
              raised: null,
              suppressed: false,
              outcome: "completed",
              exception: null,
            },
          ],
        }),
      ),
    ).toBe(true);
    expect(hasFlow(report({ exception: { type: "ValueError", message: "", line: 3 } }))).toBe(true);
    expect(hasFlow(report({ exception: { type: "SyntaxError", message: "", line: 1 } }))).toBe(false);
    expect(hasFlow(report({}))).toBe(false);
  });
});

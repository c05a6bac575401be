// Pictures drawn on their own thread (src/picture/offThread.ts): the same bytes as drawn here, really drawn
// on the thread, a picture nobody can draw is an error (not a hang), and after close() pictures are still
// drawn, here.
import { afterAll, describe, expect, it } from "vitest";
import { renderFlowPng } from "../../src/picture/index.js";
import { pictureRenderer } from "../../src/picture/offThread.js";
import type { FlowReport } from "../../src/picture/types.js";
import { fortyLineCase, loopCase } from "./cases.js";

const renderer = pictureRenderer();
afterAll(async () => {
  await renderer.close();
});

describe("pictures drawn off the event loop", () => {
  it("draws on its thread the very bytes drawn here, several pictures at once", async () => {
    const cases = [fortyLineCase(), loopCase(3, 1), loopCase(5, 2)];
    const pictures = await Promise.all(cases.map((c) => renderer.render(c.report, c.source)));
    for (const [i, c] of cases.entries()) {
      const here = renderFlowPng(c.report, c.source);
      expect(pictures[i]?.png.equals(here.png)).toBe(true);
      expect(pictures[i]?.alt).toBe(here.alt);
    }
    expect(renderer.drawn).toEqual({ onThread: 3, here: 0 });
  });

  it("answers a picture that cannot be drawn with the error, and goes on drawing", async () => {
    const { source, report } = fortyLineCase();
    const broken = { ...report, tries: null } as unknown as FlowReport;
    await expect(renderer.render(broken, source)).rejects.toThrow();
    const after = await renderer.render(report, source);
    expect(after.png.length).toBeGreaterThan(1000);
  });

  it("after close() draws here instead", async () => {
    const own = pictureRenderer();
    const { source, report } = loopCase(2, 1);
    await own.render(report, source);
    await own.close();
    const late = await own.render(report, source);
    expect(late.png.equals(renderFlowPng(report, source).png)).toBe(true);
    expect(own.drawn).toEqual({ onThread: 1, here: 1 });
  });
});

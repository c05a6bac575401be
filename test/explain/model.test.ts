// The per-execution facts (src/explain/model.ts) that the text and the picture both read.
import { describe, expect, it } from "vitest";
import { tryStory, withStory } from "../../src/explain/index.js";
import { entry } from "./cases.js";

describe("tryStory", () => {
  it("a finally return that replaces the try's: pending from the body, both values", () => {
    const s = tryStory(
      entry({
        line: 2,
        body: "returned",
        finally: true,
        outcome: "returned",
        pending: { kind: "return", value: "True" },
        returnValue: "False",
      }),
    );
    expect(s.finally).toEqual({
      pending: { kind: "return", value: "True", from: "body" },
      effect: { kind: "replaced_return", pending: "True", returned: "False" },
    });
    expect(s.returned).toBe("False");
  });

  it("a handler's return, let through by finally: pending from the except block, went ahead", () => {
    const s = tryStory(
      entry({
        line: 2,
        body: "raised",
        raised: "ZeroDivisionError",
        handler: 4,
        finally: true,
        outcome: "returned",
        pending: { kind: "return", value: "'inf'" },
        returnValue: "'inf'",
      }),
    );
    expect(s.handlers).toEqual([4]);
    expect(s.finally).toEqual({
      pending: { kind: "return", value: "'inf'", from: "except" },
      effect: { kind: "went_ahead" },
    });
  });

  it("equal values with a return written in finally: the report cannot tell which won", () => {
    const e = entry({
      line: 2,
      body: "returned",
      finally: true,
      outcome: "returned",
      pending: { kind: "return", value: "1" },
      returnValue: "1",
    });
    expect(tryStory(e, { jumps: new Set(["return"]) }).finally?.effect).toEqual({ kind: "unknown" });
    expect(tryStory(e, { jumps: new Set() }).finally?.effect).toEqual({ kind: "went_ahead" });
  });

  it("a break in finally discards the exception; an exception in finally replaces it; else raising", () => {
    const pendingExc = { kind: "exception" as const, type: "ValueError" };
    const base = {
      line: 1,
      body: "raised" as const,
      raised: "ValueError",
      finally: true,
      pending: pendingExc,
    };
    expect(tryStory(entry({ ...base, outcome: "broke" })).finally?.effect).toEqual({
      kind: "discarded_exception",
      type: "ValueError",
      jump: "break",
    });
    expect(
      tryStory(entry({ ...base, outcome: "propagated", exception: "TypeError" })).finally?.effect,
    ).toEqual({
      kind: "raised",
      type: "TypeError",
      replaced: { kind: "exception", type: "ValueError", from: "body" },
    });
    expect(
      tryStory(entry({ ...base, outcome: "propagated", exception: "ValueError" })).finally?.effect,
    ).toEqual({
      kind: "went_ahead",
    });
    const fromElse = tryStory(
      entry({
        line: 1,
        else: true,
        finally: true,
        outcome: "propagated",
        exception: "KeyError",
        pending: { kind: "exception", type: "KeyError" },
      }),
    );
    expect(fromElse.elseRaised).toBe(true);
    expect(fromElse.finally?.pending).toEqual({ kind: "exception", type: "KeyError", from: "else" });
  });

  it("an older report without `pending`: only what the other fields settle", () => {
    const caughtThenRaised = entry({
      line: 1,
      body: "raised",
      raised: "KeyError",
      handler: 3,
      finally: true,
      outcome: "propagated",
      exception: "ValueError",
    });
    expect(tryStory(caughtThenRaised).finally).toEqual({ pending: null, effect: { kind: "unknown" } });
  });
});

describe("withStory", () => {
  const w = { line: 9, raised: null, suppressed: false, exception: null };
  it("suppressed, propagated, not entered, __exit__ raising", () => {
    expect(
      withStory({ ...w, body: "raised", raised: "KeyError", suppressed: true, outcome: "completed" }),
    ).toMatchObject({
      entered: true,
      block: "raised",
      exit: { received: "KeyError" },
      suppressed: true,
      exitRaised: null,
    });
    expect(
      withStory({ ...w, body: "raised", raised: "KeyError", outcome: "propagated", exception: "KeyError" }),
    ).toMatchObject({ suppressed: false, exitRaised: null });
    expect(
      withStory({ ...w, body: "not_entered", outcome: "propagated", exception: "OSError" }),
    ).toMatchObject({
      entered: false,
      exit: null,
      block: null,
    });
    expect(
      withStory({ ...w, body: "returned", outcome: "propagated", exception: "TypeError" }),
    ).toMatchObject({
      block: "return",
      exit: { received: null },
      exitRaised: "TypeError",
    });
  });
});

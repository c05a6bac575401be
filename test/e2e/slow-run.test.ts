// A run slower than DEFER_AFTER_MS: the bot defers ("thinking…") well inside Discord's 3 s deadline,
// then edits the result in. The runner is a slow stand-in for the sandbox: what is under test is how
// the real bot answers on the stand-in, not the code run.
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFER_AFTER_MS } from "../../src/bot/firstAnswer.js";
import type { ExplainedRun } from "../../src/runs/index.js";
import { codeText } from "../../src/sandbox/types.js";
import { type Harness, startHarness } from "./harness.js";

const SLOW_MS = DEFER_AFTER_MS + 1500;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    runCode: async (request): Promise<ExplainedRun> => {
      // Lesson examples (derived at start-up) are not this test's business: they fail fast.
      if (!codeText(request.code).includes("slow hello"))
        throw new Error("only the test's program runs here");
      await new Promise((r) => setTimeout(r, SLOW_MS));
      return {
        status: "ok",
        exitCode: 0,
        stdout: "slow hello\n",
        stderr: "",
        truncated: false,
        durationMs: SLOW_MS,
        exception: null,
        tries: [],
        output: [],
        explanation: "",
      };
    },
  });
});
afterAll(async () => {
  await h?.close();
});

it("defers a slow run in time, then edits the result into the deferred reply", async () => {
  const { standin } = h;
  const open = standin.slash("run", { user: "alice" });
  await standin.modal(open);
  const submit = standin.submitModal(open, { code: "print('slow hello')\n" });
  const reply = await standin.reply(submit, 15_000);
  expect(reply.content).toContain("slow hello");
  expect(submit.callbacks.map((c) => c.type)).toEqual([5]);
  // the stand-in records an interaction left unanswered past Discord's 3 s as a violation
  expect(standin.violations).toEqual([]);
});

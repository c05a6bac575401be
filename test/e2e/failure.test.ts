// When something breaks inside the bot, the member gets a short apology (never a stack trace) and the
// interaction is still answered in time. The failure is injected in the code runner.
import { afterAll, beforeAll, expect, it } from "vitest";
import { APOLOGY_TEXT } from "../../src/bot/router.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    runCode: async () => {
      throw new Error("injected failure at /secret/path.ts:12");
    },
  });
});
afterAll(async () => {
  await h?.close();
});

it("apologises instead of showing the error", async () => {
  const { standin } = h;
  const ix = standin.slash("run", {
    user: "alice",
    attachments: { file: { filename: "a.py", content: "print(1)\n" } },
  });
  const reply = await standin.reply(ix);
  expect(reply.content).toBe(APOLOGY_TEXT);
  expect(reply.content).not.toContain("secret");
  expect(standin.violations).toEqual([]);
});

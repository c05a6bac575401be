// The per-member /run cooldown: a second run right away is refused with the time to wait; others are not.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Harness, noRuns, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  // The cooldown is checked before any run, so no code needs to run here.
  h = await startHarness({ env: { RUN_COOLDOWN_SECONDS: "30" }, runCode: noRuns });
});
afterAll(async () => {
  await h?.close();
});

it("asks a member to wait between two runs, with a friendly message", async () => {
  const { standin } = h;
  const first = standin.slash("run", {
    user: "alice",
    attachments: { file: { filename: "a.py", content: "print(1)\n" } },
  });
  expect((await standin.reply(first)).content).toContain("Not run");
  const second = standin.slash("run", {
    user: "alice",
    attachments: { file: { filename: "a.py", content: "print(1)\n" } },
  });
  const wait = await standin.reply(second);
  expect(wait.flags & 64).toBe(64);
  expect(wait.content).toMatch(/run code again in (29|30) s/);
  const other = standin.slash("run", {
    user: "bob",
    attachments: { file: { filename: "a.py", content: "print(1)\n" } },
  });
  expect((await standin.reply(other)).content).not.toContain("run code again");
  h.clock.set(Date.now() + 31_000);
  const later = standin.slash("run", {
    user: "alice",
    attachments: { file: { filename: "a.py", content: "print(1)\n" } },
  });
  expect((await standin.reply(later)).content).not.toContain("run code again");
  expect(standin.violations).toEqual([]);
});

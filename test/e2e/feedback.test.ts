// A wrong answer names the misconception behind it and corrects it, pointing at the code's lines: the real
// bot, the real quiz engine (wrong answers derived in the real sandbox), on the Discord stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../standin/server.js";
import { allComponents } from "../standin/server.js";
import { questionOf, truthOf } from "./answers.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const skip = await sandboxSkipReason();
if (skip) console.warn(`SKIPPED: ${skip}`);

let h: Harness;
beforeAll(async () => {
  if (skip) return;
  h = await startHarness();
}, 240_000);
afterAll(async () => {
  await h?.close();
});

function answerButtons(msg: StoredMessage): { id: string; choice: string }[] {
  return allComponents(msg.components)
    .filter((c) => c.type === 2 && c.custom_id?.startsWith("qa:"))
    .map((c) => ({ id: c.custom_id ?? "", choice: c.custom_id?.split(":")[3] ?? "" }));
}

describe.skipIf(skip !== null)("misconception feedback in /finally quiz", () => {
  it("names the misconception of a wrong output answer and points at the finally line", async () => {
    const { standin } = h;
    const question = await standin.reply(
      standin.slash("finally quiz", { user: "bob", options: { mode: "solo", section: "return" } }),
    );
    const { key, seed } = await questionOf(h, question);
    expect(key).toBe("finally/return-first");
    // The choice a learner picks when they believe `finally` is skipped on `return`.
    const presented = h.engine.presentQuestion(key, seed);
    const pool = h.engine.choicePool(key);
    const skipped = pool.choices.find((c) => c.misconceptions.some((m) => m.id === "jump-skips-finally"));
    const shown = presented.choices.find((c) => c.text === skipped?.text);
    if (!shown)
      throw new Error(`the round does not offer the jump-skips-finally choice: ${JSON.stringify(presented)}`);
    const button = answerButtons(question).find((b) => b.choice === shown.id);
    if (!button) throw new Error("no button for that choice");

    const after = await standin.reply(standin.click(question, button.id, "bob"));
    console.log(`--- a wrong answer as bob reads it:\n${after.content}`);
    expect(after.content).toContain("❌ **Not quite.**");
    expect(after.content).toContain(
      `💡 You chose ${shown.id}: that is what would print first if \`finally\` were skipped on \`return\`, \`break\` or \`continue\``,
    );
    // greet()'s finally is line 4 of the question's code.
    expect(after.content).toContain("It never is: `finally` (line 4) runs before the `return`");
    expect(after.content.length).toBeLessThanOrEqual(2000);
  });

  it("recognises the clause set a misconception predicts in a several-choice question", async () => {
    const { standin } = h;
    const question = await standin.reply(
      standin.slash("finally quiz", { user: "carol", options: { mode: "solo", section: "uncaught" } }),
    );
    // The first unseen question of the section is drawn first: walk to its clause question.
    let msg = question;
    for (let i = 0; i < 5 && !allComponents(msg.components).some((c) => c.type === 3); i++) {
      const right = (await truthOf(h, msg))[0] ?? "";
      const button = answerButtons(msg).find((b) => b.choice === right);
      if (!button) throw new Error("no right button");
      const answered = await standin.reply(standin.click(msg, button.id, "carol"));
      msg = await standin.reply(standin.clickLabel(answered, "Next", "carol"));
    }
    const { key } = await questionOf(h, msg);
    expect(h.engine.choicePool(key).kind).toBe("clauses");
    const menu = allComponents(msg.components).find((c) => c.type === 3);
    if (!menu?.custom_id) throw new Error("no select menu");
    // "finally is skipped when the error is not caught": the member leaves finally out.
    const truth = await truthOf(h, msg);
    expect(truth).toContain("finally");
    const after = await standin.reply(
      standin.select(
        msg,
        menu.custom_id,
        truth.filter((c) => c !== "finally"),
        "carol",
      ),
    );
    console.log(`--- a wrong clause answer as carol reads it:\n${after.content}`);
    expect(after.content).toContain("❌ **Not quite.**");
    expect(after.content).toMatch(
      /💡 You chose “try”: that is what would run if `finally` were skipped when an error is not caught\. `finally` \(line \d+\) runs even when nothing catches the error/,
    );
  });

  it("/progress shows mastery per concept and the misconception shown twice", async () => {
    const { standin } = h;
    // Eleven minutes later the missed question is due again, and bob makes the same mistake.
    h.clock.set(h.clock.now() + 11 * 60_000);
    const again = await standin.reply(
      standin.slash("finally quiz", { user: "bob", options: { mode: "solo", section: "return" } }),
    );
    const { key, seed } = await questionOf(h, again);
    expect(key).toBe("finally/return-first");
    const skipped = h.engine
      .choicePool(key)
      .choices.find((c) => c.misconceptions.some((m) => m.id === "jump-skips-finally"));
    const shown = h.engine.presentQuestion(key, seed).choices.find((c) => c.text === skipped?.text);
    const button = answerButtons(again).find((b) => b.choice === shown?.id);
    if (!button) throw new Error("the jump-skips-finally choice is not offered");
    const bob = standin.user("bob").id;
    const answered = async () => (await h.engine.progress(bob, standin.guildId)).answered;
    const before = await answered();
    await standin.reply(standin.click(again, button.id, "bob"));
    // The answer is stored once bob has his feedback (the reply does not wait for the database).
    for (let i = 0; i < 200 && (await answered()) === before; i++)
      await new Promise((r) => setTimeout(r, 25));

    const progress = await standin.reply(standin.slash("progress", { user: "bob" }));
    console.log(`--- /progress as bob sees it:\n${progress.content}`);
    expect(progress.content.length).toBeLessThanOrEqual(2000);
    expect(progress.content).toContain("**Mastery per concept** (weakest first;");
    expect(progress.content).toMatch(/• `finally-on-return` [▰▱]{5} 0% \(0\/2 right\)/);
    expect(progress.content).toContain("**Misconceptions your answers showed more than once:**");
    expect(progress.content).toContain(
      "• 2× “A `return`, `break` or `continue` in `try` or `except` leaves at once and skips `finally`” → It never is: `finally` runs before",
    );
  });

  it("targets the concept the server misses most in a group round, or says there is none yet", async () => {
    const { standin } = h;
    const none = await standin.reply(
      standin.slash("with quiz", { user: "alice", options: { mode: "group", focus: "weakest" } }),
    );
    expect(none.flags & 64).toBe(64);
    expect(none.content).toBe(
      "This server has not missed any question of with: set up, use, always tidy up yet, so there is no weakest concept to practise. Try a quiz without focus.",
    );
    const weakest = await h.engine.weakestConcept(standin.guildId, "finally");
    expect(weakest).not.toBeNull();
    const round = await standin.reply(
      standin.slash("finally quiz", { user: "alice", options: { mode: "group", focus: "weakest" } }),
    );
    expect(round.flags & 64).toBe(0);
    expect(round.content).toContain(`🎯 The concept this server misses most: \`${weakest?.concept}\``);
    const { key } = await questionOf(h, round);
    expect(h.engine.choicePool(key).concepts).toContain(weakest?.concept);
  });
});

// /finally quiz (solo and group), /finally read, a restart in the middle of a group round, and the daily
// post fired by the scheduler: the real bot, the real quiz engine and the real sandbox, on the stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allComponents, labels } from "../standin/server.js";
import { answer, questionOf, truthOf } from "./answers.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const skip = await sandboxSkipReason();
if (skip) console.warn(`SKIPPED: ${skip}`);

let h: Harness;
beforeAll(async () => {
  if (skip) return;
  h = await startHarness({ env: { GROUP_ROUND_SECONDS: "10" } });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe.skipIf(skip !== null)("/finally quiz solo", () => {
  it("gives private feedback for a right and a wrong answer, keeps the score, shows the real run", async () => {
    const { standin } = h;
    const ask = standin.slash("finally quiz", { user: "alice", options: { mode: "solo" } });
    const question = await standin.reply(ask);
    expect(question.flags & 64).toBe(64);
    expect(question.content).toContain("/finally quiz");
    expect(question.content).toContain("Score this session: 0/0");
    console.log(
      `--- solo question as alice sees it:\n${question.content}\n[${labels(question).join("] [")}]`,
    );

    const firstKey = (await questionOf(h, question)).key;
    const right = await answer(h, question, "alice", true);
    const afterRight = await standin.reply(right.ix);
    expect(afterRight.content).toContain("✅ **Right!**");
    expect(afterRight.content).toContain("Score this session: 1/1");
    expect(labels(afterRight)).toEqual(["Show me", "Next"]);
    console.log(`--- after a right answer:\n${afterRight.content}`);

    const next = standin.clickLabel(afterRight, "Next", "alice");
    const second = await standin.reply(next);
    const missedKey = (await questionOf(h, second)).key; // read now: answering replaces the buttons
    expect(missedKey).not.toBe(firstKey);
    const wrong = await answer(h, second, "alice", false);
    const afterWrong = await standin.reply(wrong.ix);
    expect(afterWrong.content).toContain("❌ **Not quite.**");
    expect(afterWrong.content).toContain("Score this session: 1/2");

    const show = standin.clickLabel(afterWrong, "Show me", "alice");
    const shown = await standin.reply(show);
    expect(shown.flags & 64).toBe(64);
    expect(shown.content).toContain("run for real");
    expect(shown.content).toMatch(/Finished|Uncaught|Exited/);
    // the clause explanation, whole, in an embed under the output
    expect((shown.embeds as { description?: string }[])[0]?.description).toMatch(/\*\*Result:\*\*/);

    // /progress: the streak of today and the question just missed, with the command that practises it.
    const lesson = h.engine.lessonByCommand("finally");
    const missed = lesson?.sections.flatMap((s) => s.questions).find((q) => q.key === missedKey);
    const section = lesson?.sections.find((s) => s.id === missed?.sectionId);
    if (!missed || !section) throw new Error(`missed question ${missedKey} not in the finally lesson`);
    const progress = await standin.reply(standin.slash("progress", { user: "alice" }));
    console.log(`--- /progress as alice sees it:\n${progress.content}`);
    expect(progress.flags & 64).toBe(64);
    expect(progress.content.length).toBeLessThanOrEqual(2000);
    expect(progress.content).toContain("1/2 right");
    expect(progress.content).toContain("🔥 Streak: **1 day** (best 1 day): you studied today.");
    expect(progress.content).toContain("**Missed questions** (1)");
    expect(progress.content).toContain(
      `**${section.title}**: ${missed.prompt.replace(/\s+/g, " ").slice(0, 40)}`,
    );
    expect(progress.content).toContain(`\`/finally quiz section:${section.title}\``);

    const nobody = await standin.reply(standin.slash("progress", { user: "mod" }));
    expect(nobody.flags & 64).toBe(64);
    expect(nobody.content).toContain("You have not answered any question here yet. Try `/finally quiz`");
  });
});

describe.skipIf(skip !== null)("/finally quiz solo: Hint and Skip", () => {
  it("every kind of question (buttons or the clause select menu) offers Hint and Skip; a hint costs points", async () => {
    const { standin } = h;
    const kinds = new Set<string>();
    let msg = await standin.reply(
      standin.slash("finally quiz", { user: "carol", options: { mode: "solo" } }),
    );
    const seenKeys: string[] = [];
    // Skip walks forward through the lesson: no question twice until every kind has shown up.
    for (let i = 0; i < 30 && kinds.size < 4; i++) {
      const { key, seed } = await questionOf(h, msg);
      expect(seenKeys).not.toContain(key);
      seenKeys.push(key);
      const q = h.engine.presentQuestion(key, seed);
      const menu = allComponents(msg.components).some((c) => c.type === 3);
      expect(menu, `${q.kind} question ${key}`).toBe(q.multi);
      expect(labels(msg).slice(-2), `${q.kind} question ${key}`).toEqual(["Hint", "Skip"]);
      kinds.add(q.kind);
      if (kinds.size === 4) break;
      msg = await standin.reply(standin.clickLabel(msg, "Skip", "carol"));
      expect(msg.content).toContain("Score this session: 0/0");
    }
    expect([...kinds.keys()].sort()).toEqual(["clauses", "escapes", "first_line", "whole_output"]);

    // The clause question (the select menu): Hint shows the lesson's hint in place and stays pressed ...
    const clauses = await standin.reply(
      standin.slash("finally quiz", { user: "carol", options: { mode: "solo", section: "outcomes" } }),
    );
    for (let i = 0; i < 10 && !(await questionOf(h, clauses)).key.endsWith("outcomes-wrong-except"); i++)
      await standin.reply(standin.clickLabel(clauses, "Skip", "carol"));
    const { key, seed } = await questionOf(h, clauses);
    expect(key).toBe("finally/outcomes-wrong-except");
    const hinted = await standin.reply(standin.clickLabel(clauses, "Hint", "carol"));
    expect(hinted.content).toContain(`💡 **Hint:** ${h.engine.presentQuestion(key, seed).hint}`);
    expect(labels(hinted).slice(-2)).toEqual(["Hint shown", "Skip"]);
    expect(allComponents(hinted.components).find((c) => c.label === "Hint shown")?.disabled).toBe(true);
    // ... and a right answer after it says so and scores 50 instead of 100.
    const right = await answer(h, hinted, "carol", true);
    const feedback = await standin.reply(right.ix);
    expect(feedback.content).toContain("✅ **Right!**");
    expect(feedback.content).toContain("💡 Hint used · Score this session: 1/1");
    // Stored just after the reply (the reply does not wait for the disk).
    const carolRow = async () =>
      (await h.engine.leaderboard(standin.guildId)).find((r) => r.memberId === standin.user("carol").id);
    for (let i = 0; i < 100 && !(await carolRow()); i++) await new Promise((r) => setTimeout(r, 20));
    const carol = await carolRow();
    expect(carol).toMatchObject({ points: 50, correct: 1, answered: 1 });
  });
});

describe.skipIf(skip !== null)("/finally read", () => {
  it("pages through sections and offers the section's quiz", async () => {
    const { standin } = h;
    const read = standin.slash("finally read", { user: "bob" });
    const page = await standin.reply(read);
    const total = h.engine.lessonByCommand("finally")?.sections.length ?? 0;
    expect(page.content).toContain(`1/${total}`);
    expect(page.content).toContain("```py");
    expect(labels(page)).toEqual(["◀ Previous", "Next ▶", "Quiz me on this"]);
    await standin.reply(standin.clickLabel(page, "Next ▶", "bob"));
    expect(page.content).toContain(`2/${total}`);
    await standin.reply(standin.clickLabel(page, "◀ Previous", "bob"));
    expect(page.content).toContain(`1/${total}`);
    const quiz = await standin.reply(standin.clickLabel(page, "Quiz me on this", "bob"));
    expect(quiz.flags & 64).toBe(64);
    const section = h.engine.lessonByCommand("finally")?.sections[0]?.id;
    expect(h.engine.presentQuestion((await questionOf(h, quiz)).key, "x").sectionId).toBe(section);
  });
});

describe.skipIf(skip !== null)("/finally quiz group", () => {
  it("runs a full round with three members: locked in, one change, then the reveal", async () => {
    const { standin } = h;
    const start = standin.slash("finally quiz", { user: "mod", options: { mode: "group" } });
    const round = await standin.reply(start);
    expect(round.flags & 64).toBe(0);
    expect(round.content).toContain("Group round");
    const edits = round.edits;
    const truth = await truthOf(h, round);

    const a = await answer(h, round, "alice", true);
    expect((await standin.reply(a.ix)).content).toContain("🔒 Locked in");
    const b1 = await answer(h, round, "bob", false);
    expect((await standin.reply(b1.ix)).content).toContain("Locked in");
    const b2 = await answer(h, round, "bob", true);
    expect((await standin.reply(b2.ix)).content).toContain("🔁 Changed");
    const b3 = await answer(h, round, "bob", false);
    expect((await standin.reply(b3.ix)).content).toContain("already changed your answer once");
    const c = await answer(h, round, "carol", false);
    const locked = await standin.reply(c.ix);
    expect(locked.flags & 64).toBe(64);

    const reveal = await standin.edited(round, edits, 20_000);
    console.log(`--- group reveal:\n${reveal.content}`);
    expect(reveal.content).toContain("Group round closed");
    expect(reveal.content).toContain("Right (2/3)");
    expect(reveal.content).toContain(`Fastest: <@${standin.user("alice").id}>`);
    expect(reveal.content).not.toContain(`<@${standin.user("carol").id}>`);
    for (const id of truth) expect(reveal.content).toContain(`✅ **${id}**`);
    expect(reveal.components).toEqual([]);
    expect(reveal.allowed_mentions).toEqual({ parse: [] });

    const board = await standin.reply(standin.slash("leaderboard", { user: "carol" }));
    expect(board.content.indexOf(standin.user("alice").id)).toBeLessThan(
      board.content.indexOf(standin.user("bob").id),
    );
  });

  it("survives a restart: a round with time left is resumed, one whose time ran out is closed with a note", async () => {
    const { standin } = h;
    const live = await standin.reply(
      standin.slash("finally quiz", { user: "mod", options: { mode: "group" } }),
    );
    await standin.reply((await answer(h, live, "alice", true)).ix);
    await h.restart();
    // The button still works for the new process: the round is in the database.
    const late = await standin.reply((await answer(h, live, "bob", true)).ix);
    expect(late.content).toContain("Locked in");
    const revealed = await standin.edited(live, live.edits, 20_000);
    expect(revealed.content).toContain("Right (2/2)");

    const stale = await standin.reply(
      standin.slash("finally quiz", {
        user: "mod",
        options: { mode: "group" },
        channel: standin.channels.random,
      }),
    );
    await h.bot.stop();
    h.clock.set(Date.now() + 60_000);
    const edits = stale.edits;
    await h.restart();
    const closed = await standin.edited(stale, edits, 10_000);
    expect(closed.content).toContain("closed after a restart of the bot");
    expect(closed.content).toContain("Nobody answered");
    h.clock.set(Date.now());
  });
});

describe.skipIf(skip !== null)("daily quiz post", () => {
  it("is posted by the scheduler once a day at the configured local time", async () => {
    const { standin } = h;
    const set = standin.slash("config daily", {
      user: "mod",
      options: { channel: { channel: standin.channels.lessons }, time: "18:30", timezone: "Europe/Paris" },
    });
    expect((await standin.reply(set)).content).toContain("every day at 18:30 (Europe/Paris)");
    const before = standin.channelMessages(standin.channels.lessons).length;
    h.clock.set(Date.parse("2026-11-25T17:29:00Z")); // 18:29 in Paris: not yet
    expect(await h.tickSchedulers()).toEqual([]);
    h.clock.set(Date.parse("2026-11-25T17:31:00Z")); // 18:31 in Paris
    expect(await h.tickSchedulers()).toEqual([standin.guildId]);
    expect(await h.tickSchedulers()).toEqual([]);
    const posts = standin.channelMessages(standin.channels.lessons);
    expect(posts.length).toBe(before + 1);
    expect(posts.at(-1)?.content).toContain("Daily quiz");
    h.clock.set(Date.parse("2026-11-26T17:31:00Z")); // the next day
    expect(await h.tickSchedulers()).toEqual([standin.guildId]);
    h.clock.set(Date.now());
  });

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

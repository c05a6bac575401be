// Fault, through the bot: PostgreSQL is restarted (an immediate shutdown, as after a crash) while members use
// quizzes. Every interaction during the outage is answered (with an apology); answers committed before it
// are all there after; a group round that ended during the outage is closed and scored once the database is
// back; and the same bot process (never restarted) serves quizzes again by itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APOLOGY_TEXT } from "../../src/bot/router.js";
import { type PostgresServer, postgresUnavailable, startPostgres } from "../services/postgres.js";
import { allComponents, type DiscordStandIn, type StoredMessage } from "../standin/server.js";
import { answer } from "./answers.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const skip = postgresUnavailable() ?? (await sandboxSkipReason());

let pg: PostgresServer;
let h: Harness;
beforeAll(async () => {
  if (skip) return;
  pg = await startPostgres();
  h = await startHarness({ env: { DATABASE_URL: await pg.createDatabase(), GROUP_ROUND_SECONDS: "10" } });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await pg?.close();
});

/** Clicks the first choice of a group round (a button, or the first option of its menu). */
function anyChoice(round: StoredMessage, user: string) {
  const standin: DiscordStandIn = h.standin;
  const controls = allComponents(round.components) as { custom_id?: string; options?: { value: string }[] }[];
  const button = controls.find((c) => c.custom_id?.startsWith("ga:"));
  if (button?.custom_id) return standin.click(round, button.custom_id, user);
  const menu = controls.find((c) => c.custom_id?.startsWith("gm:"));
  return standin.select(round, menu?.custom_id ?? "", [menu?.options?.[0]?.value ?? ""], user);
}

async function until(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skip !== null)(`the bot on PostgreSQL${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("keeps committed answers through a PostgreSQL restart and recovers without a restart of its own", async () => {
    const { standin } = h;
    const alice = standin.user("alice").id;
    const answered = async () => (await h.engine.progress(alice, standin.guildId)).answered;

    // Before: a solo answer (stored after the feedback) and a group-round answer (stored before "locked in").
    const question = await standin.reply(
      standin.slash("finally quiz", { user: "alice", options: { mode: "solo" } }),
    );
    const feedback = await standin.reply((await answer(h, question, "alice", true)).ix);
    expect(feedback.content).toContain("✅ **Right!**");
    await until("the solo answer stored", async () => (await answered()) === 1);
    const round = await standin.reply(
      standin.slash("finally quiz", { user: "mod", options: { mode: "group" } }),
    );
    const edits = round.edits;
    expect((await standin.reply((await answer(h, round, "alice", true)).ix)).content).toContain("Locked in");

    const second = await standin.reply(standin.clickLabel(feedback, "Next", "alice"));

    await pg.crash();
    // During the outage every interaction is answered: an apology, never silence. An answer to the question
    // on screen gets its feedback, then is told it was not kept.
    const lost = (await answer(h, second, "alice", true)).ix;
    expect((await standin.reply(lost)).content).toContain("✅ **Right!**");
    await until("the follow-up saying the answer was not kept", async () => lost.followups.length > 0);
    expect(lost.followups[0]?.content).toBe(APOLOGY_TEXT);
    const next = await standin.reply(standin.clickLabel(second, "Next", "alice"));
    expect(next.content).toBe(APOLOGY_TEXT);
    expect((await standin.reply(standin.slash("progress", { user: "alice" }))).content).toBe(APOLOGY_TEXT);
    expect((await standin.reply(anyChoice(round, "bob"))).content).toBe(APOLOGY_TEXT);
    // The round ends (10 s) while the database is down: its close fails and is tried again.
    await new Promise((r) => setTimeout(r, Math.max(0, 10_500 - (Date.now() - round.createdAt))));
    expect(round.edits).toBe(edits);
    await pg.start();

    // After: the round is closed and scored with alice's committed answer; bob's refused click is not in it.
    const reveal = await standin.edited(round, edits, 30_000);
    expect(reveal.content).toContain("Group round closed");
    expect(reveal.content).toContain("Right (1/1)");
    await until("the group answer scored", async () => (await answered()) === 2);
    // The same bot process serves quizzes again.
    const again = await standin.reply(
      standin.slash("finally quiz", { user: "alice", options: { mode: "solo" } }),
    );
    expect((await standin.reply((await answer(h, again, "alice", false)).ix)).content).toContain(
      "❌ **Not quite.**",
    );
    await until("the new answer stored", async () => (await answered()) === 3);
    const progress = await standin.reply(standin.slash("progress", { user: "alice" }));
    expect(progress.content).toContain("2/3 right");

    expect(standin.violations).toEqual([]);
    expect(standin.unanswered()).toEqual([]);
  });
});

// Two gateway shards, in the distributed run only (vitest project e2e-distributed; the main run excludes this
// file): the shard that owns the guild answers it and the other hears nothing of it; a restarted shard
// resumes its group rounds; and a round that every shard resumed (a timer in each) is revealed and scored once.
import { Events } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../standin/server.js";
import { answer, questionOf } from "./answers.js";
import { DISTRIBUTED, type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const skip = DISTRIBUTED
  ? await sandboxSkipReason()
  : "shards run only in the distributed run (npx vitest run --project e2e-distributed)";
if (skip) console.warn(`SKIPPED: ${skip}`);

const ROUND_SECONDS = 10;
let h: Harness;
beforeAll(async () => {
  if (skip) return;
  h = await startHarness({ env: { GROUP_ROUND_SECONDS: String(ROUND_SECONDS) } });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A group round posted by the moderator in `channel`, and its id in the database. */
async function groupRound(channel: string): Promise<{ round: StoredMessage; id: number }> {
  const round = await h.standin.reply(
    h.standin.slash("finally quiz", { user: "mod", options: { mode: "group" }, channel }),
  );
  const id = (await questionOf(h, round)).group;
  if (id === null) throw new Error("not a group round");
  return { round, id };
}

/** How many answers of `user` were scored right in this guild. */
async function correctOf(user: string): Promise<number> {
  const id = h.standin.user(user).id;
  return (await h.engine.leaderboard(h.standin.guildId)).find((r) => r.memberId === id)?.correct ?? 0;
}

describe.skipIf(skip !== null)("two gateway shards", () => {
  it("the guild's shard answers it; the other shard has no guild and receives none of its interactions", async () => {
    const { standin } = h;
    expect(standin.identifies.map((x) => x.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(h.bots.map((b) => [...b.client.guilds.cache.keys()])).toEqual([[], [standin.guildId]]);
    const heard = [0, 0];
    for (const [i, bot] of h.bots.entries())
      bot.client.on(Events.InteractionCreate, () => {
        heard[i] = (heard[i] ?? 0) + 1;
      });
    const question = await standin.reply(
      standin.slash("finally quiz", { user: "alice", options: { mode: "solo" } }),
    );
    expect((await standin.reply((await answer(h, question, "alice", true)).ix)).content).toContain("Right!");
    expect(heard).toEqual([0, 2]);
  });

  it("a restarted shard resumes its open round: a member answers after the restart, and the round is revealed", async () => {
    const { standin } = h;
    const { round } = await groupRound(standin.channels.lessons);
    await standin.reply((await answer(h, round, "alice", true)).ix);
    await h.restartShard(1);
    const late = await standin.reply((await answer(h, round, "bob", true)).ix);
    expect(late.content).toContain("Locked in");
    const revealed = await standin.edited(round, round.edits, 30_000);
    expect(revealed.content).toContain("Right (2/2)");
  });

  it("after a restart of every shard each resumes the round, and its end is revealed and scored once", async () => {
    const { standin } = h;
    const { round, id } = await groupRound(standin.channels.random);
    await standin.reply((await answer(h, round, "carol", true)).ix);
    const before = await correctOf("carol");
    const posted = standin.channelMessages(standin.channels.random).length;
    await h.restart(); // two shards, two timers for this one round
    const edits = round.edits;
    const revealed = await standin.edited(round, edits, 30_000);
    expect(revealed.content).toContain("Right (1/1)");
    // Let the later of the two timers fire too before counting what the round's end did.
    const endsAt = (await h.bot.services.rounds.get(id))?.endsAt ?? 0;
    await sleep(Math.max(0, endsAt - Date.now()) + 3000);
    expect(round.edits).toBe(edits + 1);
    expect(standin.channelMessages(standin.channels.random).length).toBe(posted);
    expect((await correctOf("carol")) - before).toBe(1);
  });

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

// The stand-in's gateway shards as Discord does: each session identifies with `shard: [i, n]`, gets the guilds
// with (guild_id >> 22) % n === i and only their events, and an impossible shard is refused with 4010.
// Driven with raw WebSockets (no discord.js), as the other stand-in tests.
import { afterEach, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DiscordStandIn, guildOnShard } from "./server.js";

interface Session {
  ws: WebSocket;
  events: { t: string; d: Record<string, unknown> }[];
  closed: Promise<number>;
}

const started: DiscordStandIn[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const s of started.splice(0)) await s.stop();
});

async function standIn(guildId: string): Promise<DiscordStandIn> {
  const s = await new DiscordStandIn({ guildId }).start();
  started.push(s);
  const put = await fetch(`${s.url}/v10/applications/${s.applicationId}/guilds/${s.guildId}/commands`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bot ${s.token}` },
    body: JSON.stringify([{ name: "ping", description: "Ping", type: 1 }]),
  });
  expect(put.status).toBe(200);
  return s;
}

/** Opens a gateway session and identifies as `shard` (omitted: unsharded); resolves once READY arrives. */
async function identify(s: DiscordStandIn, shard?: [number, number]): Promise<Session> {
  const ws = new WebSocket(`${s.url.replace("http", "ws")}/?v=10&encoding=json`);
  sockets.push(ws);
  const events: Session["events"] = [];
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    ws.on("message", (raw) => {
      const m = JSON.parse(String(raw)) as { op: number; t: string | null; d: Record<string, unknown> };
      if (m.op === 10)
        ws.send(
          JSON.stringify({
            op: 2,
            d: { token: s.token, intents: 1, properties: {}, ...(shard ? { shard } : {}) },
          }),
        );
      if (m.op === 0 && m.t) events.push({ t: m.t, d: m.d });
      if (m.t === "READY") resolve();
    });
  });
  await Promise.race([ready, closed]);
  return { ws, events, closed };
}

/** Polls `check` (the events arrive at the test's sockets, which the stand-in's waiters do not watch). */
async function until<T>(check: () => T, what: string): Promise<NonNullable<T>> {
  for (let i = 0; i < 250; i++) {
    const v = check();
    if (v) return v as NonNullable<T>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const named = (session: Session, t: string) => session.events.filter((e) => e.t === t);

it("gives each shard only its own guilds, and a guild's interactions only to its shard", async () => {
  for (const owner of [0, 1]) {
    const s = await standIn(guildOnShard(owner, 2));
    const shards = [await identify(s, [0, 2]), await identify(s, [1, 2])];
    await until(() => named(shards[owner] as Session, "GUILD_CREATE").length === 1, "GUILD_CREATE");
    for (const [i, session] of shards.entries()) {
      const ready = named(session, "READY")[0]?.d;
      expect(ready?.shard).toEqual([i, 2]);
      expect(ready?.guilds).toEqual(i === owner ? [{ id: s.guildId, unavailable: true }] : []);
    }
    const ix = s.slash("ping", { user: "alice" });
    const delivered = await until(
      () => shards.findIndex((x) => named(x, "INTERACTION_CREATE").some((e) => e.d.id === ix.id)) + 1,
      "the interaction",
    );
    expect(delivered - 1).toBe(owner);
    const other = shards[1 - owner] as Session;
    expect(named(other, "GUILD_CREATE")).toEqual([]);
    expect(named(other, "INTERACTION_CREATE")).toEqual([]);
    expect(s.identifies.map((x) => x.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  }
});

it("an unsharded session gets every guild, as shard [0, 1]", async () => {
  const s = await standIn(guildOnShard(1, 2));
  const session = await identify(s);
  expect(named(session, "READY")[0]?.d.shard).toEqual([0, 1]);
  await until(() => named(session, "GUILD_CREATE").length === 1, "GUILD_CREATE");
});

it("refuses a shard outside its count with 4010, and says which shard is missing when its guild's is not connected", async () => {
  const s = await standIn(guildOnShard(1, 2));
  for (const shard of [
    [2, 2],
    [-1, 2],
    [0, 0],
    ["0", 2],
  ] as [number, number][]) {
    const refused = await identify(s, shard);
    expect(await refused.closed).toBe(4010);
  }
  expect(s.identifies).toEqual([]);
  await identify(s, [0, 2]);
  expect(() => s.slash("ping", { user: "alice" })).toThrow(
    `the bot's shard for guild ${s.guildId} is not connected`,
  );
});

it("a dropped shard's guild gets no events until that shard identifies again", async () => {
  const s = await standIn(guildOnShard(1, 2));
  await identify(s, [0, 2]);
  await identify(s, [1, 2]);
  s.dropGateway(1);
  expect(() => s.slash("ping", { user: "alice" })).toThrow("is not connected");
  const back = await identify(s, [1, 2]);
  const ix = s.slash("ping", { user: "alice" });
  await until(() => named(back, "INTERACTION_CREATE").some((e) => e.d.id === ix.id), "the interaction");
});

it("a guild event other than an interaction (a role a moderator makes) goes to the guild's shard only", async () => {
  const s = await standIn(guildOnShard(1, 2));
  const shards = [await identify(s, [0, 2]), await identify(s, [1, 2])];
  const role = s.role("helpers", ["bob"]);
  const created = await until(() => named(shards[1] as Session, "GUILD_ROLE_CREATE")[0], "GUILD_ROLE_CREATE");
  expect(created.d).toMatchObject({ guild_id: s.guildId, role: { id: role.id, name: "helpers" } });
  expect(named(shards[0] as Session, "GUILD_ROLE_CREATE")).toEqual([]);
  expect(s.user("bob").roles).toEqual([role.id]);
  expect(s.role("helpers")).toBe(role); // the same role again: no second event
});

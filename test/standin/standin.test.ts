// The stand-in itself must be as strict as Discord, or the end-to-end tests prove nothing: these drive it
// with raw HTTP and a raw WebSocket (no discord.js) and check that it refuses what Discord refuses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { DiscordStandIn, type InteractionRecord } from "./server.js";

let s: DiscordStandIn;
let ws: WebSocket;

async function api(method: string, path: string, body?: unknown, auth = true) {
  const res = await fetch(`${s.url}/v10${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: `Bot ${s.token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

beforeAll(async () => {
  s = await new DiscordStandIn().start();
  const gw = (await api("GET", "/gateway/bot")).json as { url: string };
  ws = new WebSocket(`${gw.url}?v=10&encoding=json`);
  const guildCreated = new Promise<void>((resolve) => {
    ws.on("message", (raw) => {
      const m = JSON.parse(String(raw)) as { op: number; t: string | null };
      if (m.op === 10) ws.send(JSON.stringify({ op: 2, d: { token: s.token, intents: 1, properties: {} } }));
      if (m.t === "GUILD_CREATE") resolve();
    });
  });
  await guildCreated;
  const put = await api("PUT", `/applications/${s.applicationId}/guilds/${s.guildId}/commands`, [
    { name: "ping", description: "Ping", type: 1 },
  ]);
  expect(put.status).toBe(200);
});
afterAll(async () => {
  ws.close();
  await s.stop();
});

const callback = (ix: InteractionRecord, body: unknown) =>
  api("POST", `/interactions/${ix.id}/${ix.token}/callback`, body, false);

describe("the Discord stand-in", () => {
  it("refuses bad credentials and unknown routes", async () => {
    expect((await api("GET", "/gateway/bot", undefined, false)).status).toBe(401);
    expect((await api("GET", "/nowhere")).status).toBe(404);
    s.violations.length = 0;
  });

  it("validates bodies against Discord's schema and the limits the schema misses", async () => {
    if (!s.validator.available) console.warn(s.validator.skipReason);
    const ix = s.slash("ping");
    const long = await callback(ix, { type: 4, data: { content: "x".repeat(2001) } });
    expect(long.status).toBe(400);
    expect(String(long.json?.message)).toContain("2000");
    const id101 = "a".repeat(101);
    const row = { type: 1, components: [{ type: 2, style: 1, label: "x", custom_id: id101 }] };
    expect((await callback(ix, { type: 4, data: { content: "hi", components: [row] } })).status).toBe(400);
    const sixRows = Array.from({ length: 6 }, (_, i) => ({
      type: 1,
      components: [{ type: 2, style: 1, label: "x", custom_id: `b${i}` }],
    }));
    expect((await callback(ix, { type: 4, data: { content: "hi", components: sixRows } })).status).toBe(400);
    // Two embeds of 3,500 characters: each within a description's 4,096, together over the message's 6,000.
    const embeds = [{ description: "e".repeat(3500) }, { description: "f".repeat(3500) }];
    const tooMuch = await callback(ix, { type: 4, data: { content: "hi", embeds } });
    expect(tooMuch.status).toBe(400);
    expect(String(tooMuch.json?.message)).toContain("6000");
    if (s.validator.available) {
      // Only the schema knows that a button's style must be one of Discord's styles.
      const badStyle = { type: 1, components: [{ type: 2, style: 99, label: "x", custom_id: "ok" }] };
      expect((await callback(ix, { type: 4, data: { content: "hi", components: [badStyle] } })).status).toBe(
        400,
      );
    }
    expect((await callback(ix, { type: 4, data: { content: "fine" } })).status).toBe(204);
    expect(s.violations.length).toBe(s.validator.available ? 5 : 4);
    s.violations.length = 0;
  });

  it("allows one initial response, then edits through the URL-encoded @original", async () => {
    const ix = s.slash("ping");
    expect((await callback(ix, { type: 5, data: { flags: 64 } })).status).toBe(204);
    const again = await callback(ix, { type: 4, data: { content: "twice" } });
    expect(again.status).toBe(400);
    expect(again.json?.code).toBe(40060);
    const edit = await api(
      "PATCH",
      `/webhooks/${s.applicationId}/${ix.token}/messages/%40original`,
      { content: "done" },
      false,
    );
    expect(edit.status).toBe(200);
    const reply = await s.reply(ix);
    expect(reply.content).toBe("done");
    expect(reply.flags & 64).toBe(64); // fixed at defer time
    s.violations.length = 0;
  });

  it("answers 10062 Unknown interaction after 3 s", async () => {
    const ix = s.slash("ping");
    await new Promise((r) => setTimeout(r, 3100));
    const late = await callback(ix, { type: 4, data: { content: "late" } });
    expect(late.status).toBe(404);
    expect(late.json?.code).toBe(10062);
    expect(s.unanswered()).toContain(ix);
  });
});

// What the page may ask: checked, and refused with one readable line when Discord's client would not allow it.
import { describe, expect, it } from "vitest";
import { LocalDiscord } from "../../src/localDiscord/server.js";
import { type ActionContext, runAction } from "../../src/playground/actions.js";

function context(): ActionContext & { resets: number } {
  const ctx = {
    local: new LocalDiscord(),
    closedModals: new Set<string>(),
    resets: 0,
    async reset() {
      ctx.resets += 1;
    },
  };
  return ctx;
}

describe("page actions", () => {
  it("refuses what is not an action, without details of the parser", async () => {
    const ctx = context();
    for (const bad of [
      null,
      {},
      { kind: "click" },
      { kind: "send", as: "alice", channelId: "x", text: "hi" },
    ])
      expect(await runAction(ctx, bad)).toEqual({
        ok: false,
        error: "The page sent a request the playground does not understand.",
      });
  });

  it("refuses a click on someone else's ephemeral message, or a disabled button, in plain words", async () => {
    const ctx = context();
    const { local } = ctx;
    const msg = local.botMessage(
      local.channels.general,
      {
        content: "only for alice",
        components: [
          { type: 1, components: [{ type: 2, style: 1, label: "Go", custom_id: "go", disabled: true }] },
        ],
      },
      undefined,
      local.user("alice").id,
    );
    expect(await runAction(ctx, { kind: "click", as: "bob", messageId: msg.id, customId: "go" })).toEqual({
      ok: false,
      error: "Bob cannot see that ephemeral message",
    });
    expect(await runAction(ctx, { kind: "click", as: "alice", messageId: msg.id, customId: "go" })).toEqual({
      ok: false,
      error: "Component go is disabled",
    });
    expect(await runAction(ctx, { kind: "click", as: "alice", messageId: "12345", customId: "go" })).toEqual({
      ok: false,
      error: "That message was deleted.",
    });
  });

  it("posts a member's message with its file, and refuses an empty one and an unknown channel", async () => {
    const ctx = context();
    const { local } = ctx;
    const file = { filename: "hello.py", base64: Buffer.from("print('hi')\n").toString("base64") };
    const general = local.channels.general;
    expect(
      await runAction(ctx, { kind: "send", as: "carol", channelId: general, text: "see file", file }),
    ).toEqual({
      ok: true,
    });
    const posted = local.channelMessages(general).at(-1);
    expect(posted?.author.username).toBe("carol");
    expect(posted?.attachments[0]?.data.toString()).toBe("print('hi')\n");
    expect(await runAction(ctx, { kind: "send", as: "carol", channelId: general, text: "  " })).toMatchObject(
      {
        ok: false,
        error: "Type a message first.",
      },
    );
    expect(await runAction(ctx, { kind: "send", as: "carol", channelId: "999", text: "hi" })).toMatchObject({
      ok: false,
      error: "No such channel.",
    });
  });

  it("closes a modal for its member only, refuses submitting it then, and resets on request", async () => {
    const ctx = context();
    expect(await runAction(ctx, { kind: "closeModal", as: "alice", interactionId: "777" })).toEqual({
      ok: true,
    });
    expect(ctx.closedModals.has("777")).toBe(true);
    expect(
      await runAction(ctx, { kind: "submitModal", as: "alice", interactionId: "777", values: { code: "x" } }),
    ).toEqual({ ok: false, error: "That form is no longer open." });
    expect(await runAction(ctx, { kind: "reset" })).toEqual({ ok: true });
    expect(ctx.resets).toBe(1);
  });
});

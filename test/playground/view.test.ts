// The channel as one member sees it: computed from the local Discord's state alone (no bot, no page).
import { describe, expect, it } from "vitest";
import { type InteractionRecord, LocalDiscord } from "../../src/localDiscord/server.js";
import { memberView } from "../../src/playground/view.js";

const now = Date.now();
const extras = { closedModals: new Set<string>(), resetting: false, now };

function interaction(
  local: LocalDiscord,
  user: string,
  fields: Partial<InteractionRecord> = {},
): InteractionRecord {
  const ix: InteractionRecord = {
    id: String(local.interactions.size + 1000),
    token: "t",
    type: 2,
    createdAt: now,
    createdHr: 0,
    payload: {
      channel_id: local.channels.general,
      data: { name: "finally", type: 1, options: [{ type: 1, name: "quiz" }] },
    },
    user: local.user(user),
    callbacks: [],
    original: null,
    followups: [],
    modal: null,
    choices: null,
    editsAtAck: 0,
    ...fields,
  };
  local.interactions.set(ix.id, ix);
  return ix;
}

describe("a member's view", () => {
  it("shows an ephemeral message to its member only, with the command it answers", () => {
    const local = new LocalDiscord();
    const ix = interaction(local, "alice", {
      callbacks: [{ type: 4, at: now, body: {}, arrivedHr: 0 }],
    });
    ix.original = local.botMessage(
      local.channels.general,
      { content: "question" },
      ix,
      local.user("alice").id,
    );
    local.postMessage("bob", "hello everyone");
    const alice = memberView(local, "alice", extras);
    expect(alice.messages.map((m) => m.content)).toEqual(["question", "hello everyone"]);
    expect(alice.messages[0]).toMatchObject({
      ephemeral: true,
      usedCommand: { user: "Alice", command: "/finally quiz" },
    });
    expect(memberView(local, "bob", extras).messages.map((m) => m.content)).toEqual(["hello everyone"]);
  });

  it("says an interaction got no answer only after 3 s, only to its member, and not once answered", () => {
    const local = new LocalDiscord();
    const ix = interaction(local, "carol");
    expect(memberView(local, "carol", { ...extras, now: now + 2900 }).failures).toEqual([]);
    const late = memberView(local, "carol", { ...extras, now: now + 3100 }).failures;
    expect(late).toEqual([expect.objectContaining({ id: ix.id, command: "/finally quiz", messageId: null })]);
    expect(memberView(local, "bob", { ...extras, now: now + 3100 }).failures).toEqual([]);
    ix.callbacks.push({ type: 5, at: now + 100, body: {}, arrivedHr: 0 });
    expect(memberView(local, "carol", { ...extras, now: now + 3100 }).failures).toEqual([]);
  });

  it("shows a deferred reply as thinking, and its settling edit is not an edit", () => {
    const local = new LocalDiscord();
    const ix = interaction(local, "alice", { callbacks: [{ type: 5, at: now, body: {}, arrivedHr: 0 }] });
    ix.original = local.botMessage(local.channels.general, { content: "", flags: 128 }, ix);
    expect(memberView(local, "alice", extras).messages[0]).toMatchObject({ loading: true, edited: false });
    local.applyEdit(ix.original, { content: "done" }, []);
    expect(memberView(local, "alice", extras).messages[0]).toMatchObject({ loading: false, edited: false });
    local.applyEdit(ix.original, { content: "again" }, []);
    expect(memberView(local, "alice", extras).messages[0]).toMatchObject({ edited: true });
  });

  it("opens a modal for the member who triggered it, until closed", () => {
    const local = new LocalDiscord();
    const ix = interaction(local, "bob", {
      callbacks: [{ type: 9, at: now, body: {}, arrivedHr: 0 }],
      modal: {
        custom_id: "runmodal",
        title: "Run Python",
        components: [
          {
            type: 1,
            components: [{ type: 4, custom_id: "code", label: "Python code", style: 2, max_length: 4000 }],
          },
          { type: 18, label: "Input", component: { type: 4, custom_id: "stdin", style: 1, required: false } },
        ],
      },
    });
    const modal = memberView(local, "bob", extras).modal;
    expect(modal?.title).toBe("Run Python");
    expect(modal?.fields.map((f) => [f.customId, f.label, f.maxLength, f.required])).toEqual([
      ["code", "Python code", 4000, true],
      ["stdin", "Input", null, false],
    ]);
    expect(memberView(local, "alice", extras).modal).toBeNull();
    expect(memberView(local, "bob", { ...extras, closedModals: new Set([ix.id]) }).modal).toBeNull();
  });

  it("offers a command only to members Discord would show it to, and names everyone for mentions", () => {
    const local = new LocalDiscord();
    local.commands.guild = [
      { id: "1", name: "config", type: 1, default_member_permissions: "32" },
      { id: "2", name: "run", type: 1 },
      { id: "3", name: "Run Python", type: 3 },
    ];
    expect(memberView(local, "alice", extras).commands.map((c) => c.name)).toEqual(["run"]);
    expect(memberView(local, "mod", extras).commands.map((c) => c.name)).toEqual(["config", "run"]);
    const view = memberView(local, "mod", extras);
    expect(view.messageCommands).toEqual(["Run Python"]);
    expect(view.members.map((m) => m.label)).toEqual(["Moderator", "Alice", "Bob", "Carol"]);
    expect(view.names.users[local.user("alice").id]).toBe("Alice");
    expect(view.channels.map((c) => c.name)).toEqual(["general", "python-lessons", "random"]);
  });
});

// The "🖼 Flow" picture on Discord: under a /run reply when a try, with or raise ran, posted into the
// reply by anyone who presses it (drawn from the kept report: a restart in between runs nothing again),
// and with quiz feedback and "Show me". The real bot and sandbox on the stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunCode } from "../../src/bot/types.js";
import { createRunner, type Runner } from "../../src/runs/index.js";
import { labels, type StoredMessage } from "../standin/server.js";
import { answer } from "./answers.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const PROGRAM = `def parse(text):
    try:
        return int(text)
    finally:
        print("checked", text)

print(parse("7"))
for i in range(300):
    print("line", i)
print(parse("x"))
`;

const skip = await sandboxSkipReason();
if (skip) console.warn(`SKIPPED: ${skip}`);

let h: Harness;
let runner: Runner;
/** Every run the bot asks for (its own, and the quiz engine's), counted: a picture must never cost one. */
let runs = 0;
beforeAll(async () => {
  if (skip) return;
  runner = createRunner();
  const runCode: RunCode = (request) => {
    runs++;
    return runner.run(request);
  };
  h = await startHarness({ runCode });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await runner?.close();
});

async function runViaModal(user: string, code: string): Promise<StoredMessage> {
  const open = h.standin.slash("run", { user });
  await h.standin.modal(open);
  return await h.standin.reply(h.standin.submitModal(open, { code }), 30_000);
}

/** The attachments the bot declared in its last request that edited `message` (with their descriptions). */
function declaredAttachments(): { id?: string | number; filename?: string; description?: string }[] {
  const edit = [...h.standin.requests]
    .reverse()
    .find((r) => r.method === "PATCH" && r.path.includes("/messages/"));
  return ((edit?.body as { attachments?: unknown[] } | null)?.attachments ?? []) as {
    description?: string;
  }[];
}

describe.skipIf(skip !== null)("the Flow picture", () => {
  it("a run without try, with or raise gets no Flow button", async () => {
    const reply = await runViaModal("alice", "print(6 * 7)\n");
    expect(labels(reply)).toEqual(["Re-run", "Edit & run", "Delete"]);
  });

  it("anyone may press Flow: the picture joins the reply once, output.txt stays, the button goes; after a restart too, with no run", async () => {
    const reply = await runViaModal("alice", PROGRAM);
    expect(labels(reply)).toEqual(["Re-run", "Edit & run", "Delete", "🖼 Flow"]);
    expect(reply.attachments.map((a) => a.filename)).toEqual(["output.txt"]);
    const content = reply.content;

    const before = runs;
    await h.restart();
    h.standin.clickLabel(reply, "🖼 Flow", "bob");
    await h.standin.waitUntil(() => reply.attachments.length === 2, 15_000, "the picture in the reply");
    expect(runs).toBe(before); // drawn from the kept report: nothing ran again
    expect(reply.attachments.map((a) => a.filename)).toEqual(["output.txt", "flow.png"]);
    const png = reply.attachments.find((a) => a.filename === "flow.png")?.data ?? Buffer.alloc(0);
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(png.length).toBeLessThan(200 * 1024);
    expect(reply.content).toBe(content);
    expect(labels(reply)).toEqual(["Re-run", "Edit & run", "Delete"]);
    // The alt text says the path in words, for screen readers.
    const described = declaredAttachments().find((a) => a.description);
    expect(described?.description).toMatch(/^Flow of the run\. try at line 2 ran 2 times/);
    expect(described?.description).toContain("ValueError");
    expect(h.standin.violations).toEqual([]);
  });

  it("quiz feedback shows the picture of the question's program; Next takes it away; Show me has it too", async () => {
    const { standin } = h;
    const question = await standin.reply(
      standin.slash("finally quiz", { user: "carol", options: { mode: "solo" } }),
    );
    expect(question.attachments).toEqual([]);
    const before = runs;
    const answered = await standin.reply((await answer(h, question, "carol", true)).ix);
    expect(runs).toBe(before); // the report the answer was derived from: no run
    expect(answered.attachments.map((a) => a.filename)).toEqual(["flow.png"]);
    expect(declaredAttachments().find((a) => a.description)?.description).toMatch(/^Flow of the run\./);

    const shown = await standin.reply(standin.clickLabel(answered, "Show me", "carol"), 30_000);
    expect(shown.flags & 64).toBe(64);
    expect(shown.attachments.map((a) => a.filename)).toEqual(["flow.png"]);

    const next = await standin.reply(standin.clickLabel(answered, "Next", "carol"));
    expect(next.attachments).toEqual([]);
    expect(h.standin.violations).toEqual([]);
  });
});

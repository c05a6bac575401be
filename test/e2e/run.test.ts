// /run through the modal, "Run Python" on a message, `/run file:`, a long output as an attachment, a timeout,
// the reply buttons and the cooldown: the real bot and the real sandbox on the stand-in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleepersWithMarker } from "../sandbox/canaries.js";
import { labels, type StoredMessage } from "../standin/server.js";
import { type Harness, sandboxSkipReason, startHarness } from "./harness.js";

const TRY_PROGRAM = `def parse(text):
    try:
        n = int(text)
    except ValueError:
        print("not a number: @everyone")
        n = 0
    finally:
        print("finally runs")
    return n

print(parse("x"))
`;

/** A try in a recursive function (4 levels, three kinds of ending) and a second try after it. */
const RECURSIVE_THEN_SECOND = `def countdown(n):
    try:
        if n == 0:
            raise ValueError("reached zero")
        return countdown(n - 1)
    except ValueError:
        if n < 2:
            raise
        return n
    finally:
        print("leaving level", n)

print("result:", countdown(3))

try:
    print(int("seven"))
except ValueError as err:
    print("second try caught:", err)
finally:
    print("second finally")
`;

/** The explanation a run reply shows: its embeds' descriptions, in order. */
function embedText(msg: StoredMessage): string {
  return (msg.embeds as { description?: string }[]).map((e) => e.description ?? "").join("\n\n");
}

const skip = await sandboxSkipReason();
if (skip) console.warn(`SKIPPED: ${skip}`);

let h: Harness;
beforeAll(async () => {
  if (skip) return;
  h = await startHarness({
    env: { SANDBOX_WALL_MS: "1500", SANDBOX_CPU_SECONDS: "1", SANDBOX_CONCURRENCY: "1" },
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

async function runViaModal(user: string, code: string, stdin = ""): Promise<StoredMessage> {
  const open = h.standin.slash("run", { user });
  const modal = await h.standin.modal(open);
  expect(modal.title).toBe("Run Python");
  const submit = h.standin.submitModal(open, { code, stdin });
  return await h.standin.reply(submit, 30_000);
}

describe.skipIf(skip !== null)("/run", () => {
  it("runs code from the modal and replies with status, output, clause explanation and buttons", async () => {
    const reply = await runViaModal("alice", TRY_PROGRAM);
    console.log(`--- /run reply:\n${reply.content}\n[${labels(reply).join("] [")}]`);
    expect(reply.flags & 64).toBe(0);
    expect(reply.content).toContain("✅ **Finished**");
    expect(reply.content).toMatch(/```\nnot a number: @everyone\nfinally runs\n0\n```/);
    // The clause explanation comes in an embed under the output and talks about the clauses that ran.
    const explanation = embedText(reply);
    expect(explanation).toMatch(/except/);
    expect(explanation).toMatch(/finally/);
    expect(reply.content.length).toBeLessThanOrEqual(2000);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    // A try ran, so the reply offers its picture (test/e2e/flow.test.ts presses it).
    expect(labels(reply)).toEqual(["Re-run", "Edit & run", "Delete", "🖼 Flow"]);
    // A quick run is answered directly, in one message: no deferral ("thinking…") first.
    const answered = [...h.standin.interactions.values()].find((ix) => ix.original === reply);
    expect(answered?.callbacks.map((c) => c.type)).toEqual([4]);
  });

  it("shows the whole explanation of a recursive try and a second try after it, one block per try", async () => {
    const reply = await runViaModal("carol", RECURSIVE_THEN_SECOND);
    const explanation = embedText(reply);
    console.log(`--- explanation (${explanation.length} characters):\n${explanation}`);
    expect(explanation.length).toBeGreaterThan(650); // what the reply used to cut it to
    expect(reply.content).toContain("second finally");
    const blocks = explanation.split("\n\n");
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/^\*\*`try` at line 2\*\* in `countdown\(\)` ran 4 times/);
    // The end, which the clipped reply lost: the second try and the result.
    expect(blocks[1]).toMatch(/^\*\*`try` at line 15\*\*\n/);
    expect(blocks[1]).toContain("`except ValueError as err` (line 17) matched, so its block ran");
    expect(blocks[1]).toContain("`finally` (line 19) ran, nothing pending");
    expect(blocks[2]).toBe("**Result:** the program finished normally.");
    expect(explanation).not.toMatch(/…|shortened/);
  });

  it("passes stdin, and keeps backticks in the output from breaking the code block", async () => {
    const reply = await runViaModal("bob", 'name = input()\nprint("```" + name + "```")\n', "Ada");
    const block = /```\n([\s\S]*?)\n```/.exec(reply.content)?.[1] ?? "";
    expect(block.replaceAll("\u200b", "")).toBe("```Ada```");
    expect(reply.content.split("```").length).toBe(3);
  });

  it("sends a long output as output.txt", async () => {
    const reply = await runViaModal("carol", "for i in range(500):\n    print('line', i)\n");
    expect(reply.content).toContain("attached as output.txt");
    const file = reply.attachments.find((a) => a.filename === "output.txt");
    const text = file?.data.toString("utf8") ?? "";
    expect(text.split("\n").filter(Boolean)).toHaveLength(500);
    expect(text).toContain("line 499");
  });

  it("says when a run hit the time limit", async () => {
    const reply = await runViaModal("alice", "print('start', flush=True)\nwhile True:\n    pass\n");
    expect(reply.content).toContain("time limit");
    expect(reply.content).toContain("start");
  });

  it("shows the queue position while other runs hold every slot", async () => {
    // Each holder's program becomes `sleep MARKER` (harmless if it ever ran outside): seen on the host, their
    // runs hold every slot (one here; one per worker when distributed). The wall limit ends them.
    const holders = ["alice", "carol", "mod"].slice(0, h.runSlots);
    expect(holders).toHaveLength(h.runSlots);
    const marker = `${Date.now() % 100_000}.${process.pid}`;
    const busy = holders.map((user) =>
      runViaModal(user, `import os\nos.execv("/usr/bin/sleep", ["sleep", "${marker}"])\n`),
    );
    for (let i = 0; i < 250 && (await sleepersWithMarker(marker)).length < holders.length; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await sleepersWithMarker(marker)).toHaveLength(holders.length);
    const open = h.standin.slash("run", { user: "bob" });
    await h.standin.modal(open);
    const bobSubmit = h.standin.submitModal(open, { code: "print('after the queue')\n" });
    const waiting = await h.standin.reply(bobSubmit, 30_000);
    expect(waiting.content).toContain("position 1 in the queue");
    // Queued: deferred at once ("thinking…"), then edited with the position and later the result.
    expect(bobSubmit.callbacks.map((c) => c.type)).toEqual([5]);
    const done = await h.standin.waitUntil(
      () => (waiting.components.length > 0 ? waiting : null),
      30_000,
      "bob's result",
    );
    expect(done.content).toContain("after the queue");
    for (const reply of await Promise.all(busy)) expect(reply.content).toContain("time limit");
  });

  it("re-runs, opens a pre-filled modal for Edit & run, and deletes for the author only", async () => {
    const reply = await runViaModal("alice", "print(6 * 7)\n");
    const again = await h.standin.reply(h.standin.clickLabel(reply, "Re-run", "bob"), 30_000);
    expect(again.content).toContain("42");
    const edit = h.standin.clickLabel(reply, "Edit & run", "alice");
    const modal = await h.standin.modal(edit);
    expect(JSON.stringify(modal.components)).toContain("print(6 * 7)");
    const edited = await h.standin.reply(h.standin.submitModal(edit, { code: "print(6 * 9)\n" }), 30_000);
    expect(edited.content).toContain("54");
    const refused = await h.standin.reply(h.standin.clickLabel(reply, "Delete", "carol"));
    expect(refused.content).toContain("Only the member who ran this code");
    expect(reply.deleted).toBe(false);
    h.standin.clickLabel(reply, "Delete", "alice");
    await h.standin.waitUntil(() => reply.deleted, 5000, "the delete");
  });
});

describe.skipIf(skip !== null)('"Run Python" and /run file:', () => {
  it("runs the first Python code block of a message", async () => {
    const msg = h.standin.postMessage(
      "bob",
      "Why?\n```py\ntry:\n    1 / 0\nfinally:\n    print('cleanup')\n```\nthanks",
    );
    const reply = await h.standin.reply(h.standin.messageCommand("Run Python", msg, "carol"), 30_000);
    expect(reply.content).toContain("Uncaught ZeroDivisionError");
    expect(reply.content).toContain("cleanup");
  });

  it("runs a .py attachment of a message, and refuses a message without code", async () => {
    const msg = h.standin.postMessage("bob", "see file", {
      files: [{ filename: "hello.py", content: "print('from a file')\n" }],
    });
    const reply = await h.standin.reply(h.standin.messageCommand("Run Python", msg, "alice"), 30_000);
    expect(reply.content).toContain("from a file");
    const plain = h.standin.postMessage("bob", "no code here");
    const refused = await h.standin.reply(h.standin.messageCommand("Run Python", plain, "alice"));
    expect(refused.flags & 64).toBe(64);
    expect(refused.content).toContain("no Python code block");
  });

  it("runs /run file: with a .py attachment", async () => {
    const ix = h.standin.slash("run", {
      user: "carol",
      attachments: { file: { filename: "prog.py", content: "print(sum(range(10)))\n" } },
    });
    const reply = await h.standin.reply(ix, 30_000);
    expect(reply.content).toContain("45");
  });

  it("reads a .py attachment as Python reads a file (PEP 263), and Re-run reads the same bytes", async () => {
    const latin1 = Buffer.from('# -*- coding: latin-1 -*-\nprint("caf\xe9")\n', "latin1");
    const ix = h.standin.slash("run", {
      user: "carol",
      // The stand-in uploads what it is given with Buffer.from(), so a Buffer's bytes go as they are.
      attachments: { file: { filename: "latin1.py", content: latin1 as unknown as string } },
    });
    const reply = await h.standin.reply(ix, 30_000);
    expect(reply.content).toContain("Finished");
    expect(reply.content).toContain("café");
    const again = await h.standin.reply(h.standin.clickLabel(reply, "Re-run", "carol"), 30_000);
    expect(again.content).toContain("café");
    const undeclared = Buffer.from('print("caf\xe9")\n', "latin1");
    const bad = h.standin.slash("run", {
      user: "bob",
      attachments: { file: { filename: "bad.py", content: undeclared as unknown as string } },
    });
    const badReply = await h.standin.reply(bad, 30_000);
    expect(badReply.content).toContain("Uncaught SyntaxError");
    expect(badReply.content).toContain("Non-UTF-8 code starting with '\\xe9'");
  });

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

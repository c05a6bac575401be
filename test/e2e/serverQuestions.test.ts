// /quiz create, bank and export: a moderator's own code becomes a question (run in the real sandbox), is
// refused with a plain reason when it cannot make a fair one, joins the server's quizzes, and exports as a
// lesson file that passes the lesson checker. The real bot on the Discord stand-in.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLessons } from "../../src/lessons/check.js";
import { parseLesson } from "../../src/lessons/index.js";
import { openSandboxRunner } from "../../src/lessons/runner.js";
import { formatProblem } from "../../src/lessons/types.js";
import { labels, type StoredMessage } from "../standin/server.js";
import { questionOf } from "./answers.js";
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

const GOOD = [
  "def load(name):",
  "    try:",
  "        return int(name)",
  "    except ValueError:",
  '        print("not a number:", name)',
  "        return 0",
  "    finally:",
  '        print("checked", name)',
  "",
  'print(load("7") + load("x"))',
].join("\n");

/** /quiz create as `user` (kind, lesson), the modal filled with `code`: the bot's final (deferred) reply. */
async function create(
  code: string,
  kind = "whole_output",
  user = "mod",
  prompt = "",
): Promise<StoredMessage> {
  const { standin } = h;
  const open = standin.slash("quiz create", {
    user,
    channel: standin.channels.lessons,
    options: { kind, lesson: "finally" },
  });
  const modal = await standin.modal(open);
  expect(modal.title).toContain("New question");
  return standin.reply(standin.submitModal(open, { code, prompt }), 60_000);
}

describe.skipIf(skip !== null)("/quiz create", () => {
  it("refuses a member without Manage Server (or the role /config quiz names)", async () => {
    const reply = await h.standin.reply(h.standin.slash("quiz create", { user: "alice" }));
    expect(reply.flags & 64).toBe(64);
    expect(reply.content).toBe(
      "Only members with the Manage Server permission can make and manage this server's questions.",
    );
  });

  it("previews the question privately, with the answer, the misconception choices and the explanation", async () => {
    const preview = await create(GOOD, "whole_output", "mod", "What does this print, in order?");
    console.log(`--- /quiz create preview as the moderator sees it:\n${preview.content}`);
    expect(preview.flags & 64).toBe(64);
    expect(preview.content).toContain("👀 **Preview** (only you see it)");
    expect(preview.content).toContain("**What does this print, in order?**");
    expect(preview.content).toContain("**Answer:** ```\nchecked 7\nnot a number: x\nchecked x\n7\n```");
    expect(preview.content).toMatch(/• ✗ .*: if `finally` were skipped on `return`/);
    expect(preview.content).toContain("**Why:**");
    expect(labels(preview)).toEqual(["Post as group round", "Add to this server's questions", "Discard"]);

    const added = await h.standin.reply(
      h.standin.clickLabel(preview, "Add to this server's questions", "mod"),
    );
    expect(added.content).toMatch(
      /^✅ Added to this server's questions as \*\*#\d+\*\*: `\/finally quiz source:server`/,
    );
    expect(labels(added)).toEqual([]);

    // The server's quizzes ask it with source:server.
    const quiz = await h.standin.reply(
      h.standin.slash("finally quiz", { user: "bob", options: { mode: "solo", source: "server" } }),
    );
    expect(quiz.content).toContain("What does this print, in order?");
    expect((await questionOf(h, quiz)).key).toMatch(/^finally\/g\d+$/);
  });

  it("posts a question as a group round in the channel", async () => {
    const preview = await create(GOOD.replace('"x"', '"y"'), "first_line");
    const before = h.standin.channelMessages(h.standin.channels.lessons).length;
    const posted = await h.standin.reply(h.standin.clickLabel(preview, "Post as group round", "mod"));
    expect(posted.content).toBe("✅ Posted as a group round in this channel.");
    // The round is posted right after the preview is updated: wait for it to arrive.
    for (let i = 0; i < 100 && h.standin.channelMessages(h.standin.channels.lessons).length === before; i++)
      await new Promise((r) => setTimeout(r, 50));
    const messages = h.standin.channelMessages(h.standin.channels.lessons);
    expect(messages.length).toBe(before + 1);
    const round = messages.at(-1) as StoredMessage;
    expect(round.content).toContain("🛠️ A question from this server, by <@");
    expect(round.content).toContain("What is the first line this program prints?");
    expect((await questionOf(h, round)).group).not.toBeNull();
  });

  it("discards a draft on request", async () => {
    const preview = await create(GOOD.replace('"7"', '"8"'));
    const gone = await h.standin.reply(h.standin.clickLabel(preview, "Discard", "mod"));
    expect(gone.content).toBe("🗑️ Discarded: the question was not kept.");
  });

  it("lets the members of the role /config quiz names make questions, no one else, until the role is cleared", async () => {
    const { standin } = h;
    const makers = standin.role("question-makers", ["carol"]);
    const set = standin.slash("config quiz", {
      user: "mod",
      options: { "creator-role": { role: makers.name } },
    });
    expect((await standin.reply(set)).content).toContain(`<@&${makers.id}>`);
    const preview = await create(GOOD.replace('"7"', '"9"'), "whole_output", "carol");
    expect(preview.content).toContain("👀 **Preview** (only you see it)");
    expect((await standin.reply(standin.clickLabel(preview, "Discard", "carol"))).content).toContain(
      "Discarded",
    );
    const bob = await standin.reply(standin.slash("quiz create", { user: "bob" }));
    expect(bob.content).toContain(
      `Only members with the Manage Server permission or the <@&${makers.id}> role`,
    );

    await standin.reply(standin.slash("config quiz", { user: "mod", options: { "clear-role": true } }));
    const carol = await standin.reply(standin.slash("quiz create", { user: "carol" }));
    expect(carol.flags & 64).toBe(64);
    expect(carol.content).toContain("Only members with the Manage Server permission can");
  });

  const refusals: [string, string, RegExp][] = [
    ["fails to run", "print(1 / 0", /^❌ Not a question yet\. The code does not compile: SyntaxError/],
    [
      "prints nothing",
      "x = 1\n",
      /^❌ Not a question yet\. The code prints nothing, so there is nothing to ask about/,
    ],
    [
      "differs between runs",
      "import random\nprint(random.random())\n",
      /^❌ Not a question yet\. The code printed something different on its second run/,
    ],
    [
      "is too long",
      Array.from({ length: 31 }, (_, i) => `x${i} = ${i}`).join("\n"),
      /^❌ Not a question yet\. The code has 31 lines; a question's code must fit in 30\.$/,
    ],
    [
      "prints too much",
      "for i in range(13):\n    print(i)\n",
      /^❌ Not a question yet\. The code prints 13 lines; a question's output must fit in 12\.$/,
    ],
    [
      "gives no misconception a different answer",
      'print("hello")\n',
      /^❌ Not a question yet\. No misconception gives a wrong answer that differs from the real one for this code/,
    ],
  ];
  for (const [what, code, expected] of refusals) {
    it(`refuses code that ${what}, saying why`, async () => {
      const reply = await create(code);
      expect(reply.flags & 64).toBe(64);
      expect(reply.content).toMatch(expected);
      expect(labels(reply)).toEqual([]);
    });
  }
});

describe.skipIf(skip !== null)("/quiz bank and /quiz export", () => {
  it("lists the server's questions and removes one", async () => {
    const preview = await create(GOOD.replace('"7"', '"9"'), "escapes");
    const added = await h.standin.reply(
      h.standin.clickLabel(preview, "Add to this server's questions", "mod"),
    );
    const id = Number(/#(\d+)/.exec(added.content)?.[1]);
    const bank = await h.standin.reply(h.standin.slash("quiz bank", { user: "mod" }));
    expect(bank.content).toMatch(
      /^\*\*This server's questions\*\* \(2\): remove one with `\/quiz bank remove:ID`\./,
    );
    expect(bank.content).toContain(`• **#${id}** · /finally · escapes · Does an exception escape`);

    const removed = await h.standin.reply(
      h.standin.slash("quiz bank", { user: "mod", options: { remove: id } }),
    );
    expect(removed.content).toBe(`✅ Removed question #${id} from this server's questions.`);
    const again = await h.standin.reply(
      h.standin.slash("quiz bank", { user: "mod", options: { remove: id } }),
    );
    expect(again.content).toBe(`This server has no question #${id}. \`/quiz bank\` lists them.`);
    const after = await h.standin.reply(h.standin.slash("quiz bank", { user: "mod" }));
    expect(after.content).toContain("(1)");
  });

  it("exports the server's questions as a lesson file that the lesson checker passes", async () => {
    const reply = await h.standin.reply(h.standin.slash("quiz export", { user: "mod" }));
    expect(reply.content).toContain("1 question(s) as a lesson file");
    const file = reply.attachments.find((a) => a.filename === "server-questions.md");
    const text = file?.data.toString("utf8") ?? "";
    console.log(`--- exported lesson file:\n${text}`);
    const parsed = parseLesson(text, "server-questions.md");
    expect(parsed.problems.map(formatProblem)).toEqual([]);
    expect(parsed.lesson?.sections[0]?.questions.map((q) => [q.kind, q.prompt])).toEqual([
      ["whole_output", "What does this print, in order?"],
    ]);
    const dir = mkdtempSync(join(tmpdir(), "export-"));
    const sandbox = await openSandboxRunner();
    try {
      writeFileSync(join(dir, "server-questions.md"), text);
      const report = await checkLessons(dir, sandbox.run);
      expect(report.problems.map(formatProblem)).toEqual([]);
      expect(report.derived).toBeGreaterThanOrEqual(1);
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the daily quiz mixes in the server's own questions when /config quiz says so, and only then", async () => {
    const { standin } = h;
    const daily = standin.slash("config daily", {
      user: "mod",
      options: { channel: { channel: standin.channels.lessons }, time: "09:00", lesson: "finally" },
    });
    expect((await standin.reply(daily)).content).toContain("every day at 09:00");
    /** The question keys the daily posts of `days` days (from day `first` of 2027) drew. */
    const drawn = async (first: number, days: number): Promise<string[]> => {
      const keys: string[] = [];
      for (let d = first; d < first + days; d++) {
        h.clock.set(Date.parse("2027-01-01T09:30:00Z") + d * 86_400_000);
        const before = standin.channelMessages(standin.channels.lessons).length;
        expect(await h.tickSchedulers()).toEqual([standin.guildId]);
        const post = standin.channelMessages(standin.channels.lessons)[before] as StoredMessage;
        expect(post.content).toContain("📅 **Daily quiz**");
        keys.push((await questionOf(h, post)).key);
      }
      return keys;
    };
    const own = (keys: string[]) => keys.filter((k) => /^finally\/g\d+$/.test(k));
    try {
      const mix = standin.slash("config quiz", { user: "mod", options: { "server-questions": "mixed" } });
      expect((await standin.reply(mix)).content).toContain("mixed into every quiz");
      // The draws are seeded by the day: the same days give the same questions on every run.
      expect(own(await drawn(0, 100)).length).toBeGreaterThan(0);
      const apart = standin.slash("config quiz", {
        user: "mod",
        options: { "server-questions": "separate" },
      });
      await standin.reply(apart);
      expect(own(await drawn(100, 100))).toEqual([]);
    } finally {
      h.clock.set(Date.now());
      await standin.reply(standin.slash("config daily-off", { user: "mod" }));
    }
  }, 120_000);

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

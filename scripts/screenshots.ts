// `npm run screenshots`: the README's tour pictures, taken from a real playground (local Discord, the
// unchanged bot, the sandbox) in headless Chromium: a solo quiz answered, a group round revealed, and a
// /run through its form. Needs Debian's chromium (`bash scripts/setup.sh --tests` installs it).
import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import type { StoredMessage } from "../src/localDiscord/server.js";
import { answerIn, openAs, type PlaygroundRig, startRig } from "../test/playground/browser.js";

const OUT = new URL("../docs/screenshots/", import.meta.url).pathname;
/** Tall enough for a whole question with its answer and buttons. */
const VIEWPORT = { width: 1100, height: 1150 };

async function send(page: Page, text: string): Promise<void> {
  const box = page.getByRole("textbox", { name: /^Message #/ });
  await box.fill(text);
  await box.press("Enter");
}

async function newest(rig: PlaygroundRig, match: RegExp): Promise<StoredMessage> {
  const { local } = rig.playground;
  return await local.waitUntil(
    () => [...local.messages.values()].reverse().find((m) => m.author.bot && match.test(m.content)),
    30_000,
    `a message matching ${match}`,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1, 1); // no hover toolbar in the picture
  await page.waitForTimeout(300); // let the components finish drawing
  await page.screenshot({ path: `${OUT}${name}` });
  console.log(`docs/screenshots/${name}`);
}

mkdirSync(OUT, { recursive: true });
const rig = await startRig({ GROUP_ROUND_SECONDS: "10" });
try {
  // A solo question, answered right: the feedback, the score, Show me and Next.
  const alice = await openAs(rig, "alice", VIEWPORT);
  await send(alice, "/finally quiz mode:solo");
  const question = await newest(rig, /What does|Which|What is/);
  await answerIn(rig, alice.locator(`[data-message-id="${question.id}"]`), question, true);
  await alice.getByRole("article").filter({ hasText: "Score this session" }).last().waitFor();
  await shoot(alice, "solo-quiz.png");
  await alice.close();

  // A group round: the moderator starts it, three members answer through "Acting as", the reveal.
  const page = await openAs(rig, "mod", VIEWPORT);
  await send(page, "/finally quiz mode:group");
  const round = await newest(rig, /Group round/);
  const roundArticle = page.locator(`[data-message-id="${round.id}"]`);
  await roundArticle.waitFor();
  for (const [member, right] of [
    ["Alice", true],
    ["Bob", false],
    ["Carol", true],
  ] as const) {
    await page.getByRole("combobox", { name: "Acting as" }).selectOption({ label: member });
    await roundArticle.waitFor();
    await answerIn(rig, roundArticle, round, right);
    await page.getByRole("article").filter({ hasText: "Locked in" }).waitFor();
  }
  await page.getByRole("combobox", { name: "Acting as" }).selectOption({ label: "Moderator" });
  await roundArticle.filter({ hasText: "Group round closed" }).waitFor({ timeout: 30_000 });
  await page.setViewportSize({ width: 1100, height: 720 }); // the round alone, without empty channel above it
  await shoot(page, "group-round.png");
  await page.setViewportSize(VIEWPORT);

  // /run: the form, then the output with the clause explanation.
  await page.getByRole("combobox", { name: "Acting as" }).selectOption({ label: "Carol" });
  await send(page, "/run");
  const dialog = page.getByRole("dialog", { name: "Run Python" });
  await dialog
    .getByLabel("Python code")
    .fill(
      'def parse(text):\n    try:\n        return int(text)\n    except ValueError:\n        print("not a number:", text)\n        return 0\n    finally:\n        print("checked", text)\n\nprint(parse("42") + parse("forty"))\n',
    );
  await shoot(page, "run-form.png");
  await dialog.getByRole("button", { name: "Submit" }).click();
  await page.getByRole("article").filter({ hasText: "Result:" }).last().waitFor({ timeout: 30_000 });
  await shoot(page, "run-result.png");
} finally {
  await rig.close();
}

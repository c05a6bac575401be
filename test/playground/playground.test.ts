// The playground in real headless Chromium, driven the way a person would: by the roles and names a screen
// reader sees (textbox "Message #general", select "Acting as", articles, buttons by label, dialogs by
// title). Behind the page: the local Discord, the unchanged bot and the real sandbox. Each flow saves a
// screenshot (git-ignored) to look at. Which answer is right comes from the quiz engine, never the page.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoredMessage } from "../../src/localDiscord/server.js";
import { sandboxSkipReason } from "../e2e/harness.js";
import { answerIn, browserSkipReason, openAs, type PlaygroundRig, SCREENSHOTS, startRig } from "./browser.js";

const skip = browserSkipReason() ?? (await sandboxSkipReason());
if (skip) console.warn(`playground browser tests skipped: ${skip}`);

let rig: PlaygroundRig;
beforeAll(async () => {
  if (skip) return;
  rig = await startRig({ GROUP_ROUND_SECONDS: "10" });
}, 120_000);
afterAll(async () => {
  await rig?.close();
});

const composer = (page: Page) => page.getByRole("textbox", { name: /^Message #/ });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
}

/** The newest bot message in the local Discord whose text matches, once it exists. */
async function botMessage(match: RegExp, timeoutMs = 20_000): Promise<StoredMessage> {
  const { local } = rig.playground;
  return await local.waitUntil(
    () =>
      [...local.messages.values()].reverse().find((m) => m.author.bot && !m.deleted && match.test(m.content)),
    timeoutMs,
    `a bot message matching ${match}`,
  );
}

/** Waits until the element shows the text (Playwright's text matching sees into the components' shadow DOM). */
async function shows(loc: Locator, text: string | RegExp, timeout = 15_000): Promise<void> {
  await loc.filter({ hasText: text }).first().waitFor({ timeout });
}

async function count(loc: Locator, n: number, timeout = 10_000): Promise<void> {
  await expect.poll(() => loc.count(), { timeout }).toBe(n);
}

async function actAs(page: Page, label: string): Promise<void> {
  await page.getByRole("combobox", { name: "Acting as" }).selectOption({ label });
  await expect.poll(() => page.locator("discord-messages > *").count()).toBeGreaterThan(0);
}

describe.skipIf(skip !== null)("the playground in a browser", () => {
  it("plays a solo quiz: question, right answer, feedback and score, only for the member who asked", async () => {
    const page = await openAs(rig, "alice");
    const actingAs = page.getByRole("combobox", { name: "Acting as" });
    const options = await actingAs.getByRole("option").allTextContents();
    expect(options).toEqual(expect.arrayContaining(["Alice", "Bob", "Carol"]));
    expect(options.some((o) => o.includes("Moderator"))).toBe(true);

    await composer(page).fill("/finally q");
    await page.getByRole("option", { name: /\/finally quiz/ }).waitFor();
    await send(page, "/finally quiz mode:solo");
    const question = await botMessage(/What does|Which/);
    const article = page.getByRole("article").filter({ hasText: "/finally quiz" }).last();
    await article.getByText("Only you can see this").waitFor();
    await answerIn(rig, article, question, true);
    await shows(page.getByRole("article").last(), "Right", 15_000);
    await shows(page.getByRole("article").last(), "Score this session: 1/1");
    expect(await page.getByRole("button", { name: "Next" }).last().isEnabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}solo-quiz.png` });

    // Bob does not see Alice's ephemeral question or feedback.
    await actAs(page, "Bob");
    await count(page.getByRole("article").filter({ hasText: "Score this session" }), 0);
    await count(page.getByText("Only you can see this"), 0);
    await page.screenshot({ path: `${SCREENSHOTS}ephemeral-hidden-from-bob.png` });
    await page.close();
  });

  it("plays a group round with three members through Acting as, revealed in place", async () => {
    const page = await openAs(rig, "mod");
    await send(page, "/finally quiz mode:group");
    const round = await botMessage(/Group round/);
    const roundArticle = page.locator(`[data-message-id="${round.id}"]`);
    await shows(roundArticle, "Group round");
    for (const [member, right] of [
      ["Alice", true],
      ["Bob", false],
      ["Carol", true],
    ] as const) {
      await actAs(page, member);
      await answerIn(rig, roundArticle, round, right);
      await count(page.getByRole("article").filter({ hasText: "Locked in" }), 1);
    }
    // The round closes after its 10 s: the same message is edited into the reveal.
    await shows(roundArticle, "Group round closed", 30_000);
    await shows(roundArticle, "Right (2/3)");
    await shows(roundArticle, "Alice");
    await count(page.getByRole("article").filter({ hasText: "Group round" }), 1);
    // No answer buttons left (the Apps menu button stays, as on Discord).
    await count(roundArticle.locator(".row button"), 0);
    await page.screenshot({ path: `${SCREENSHOTS}group-reveal.png` });
    await page.close();
  });

  it("runs /run through its modal, shows the output with the clause explanation, and its Flow picture inline", async () => {
    const page = await openAs(rig, "carol");
    await send(page, "/run");
    const dialog = page.getByRole("dialog", { name: "Run Python" });
    await dialog.waitFor();
    await dialog
      .getByLabel("Python code")
      .fill(
        'try:\n    print(int("forty"))\nexcept ValueError:\n    print("not a number")\nfinally:\n    print("finally runs")\n',
      );
    await page.screenshot({ path: `${SCREENSHOTS}run-modal.png` });
    await dialog.getByRole("button", { name: "Submit" }).click();
    await dialog.waitFor({ state: "hidden" });
    const reply = page.getByRole("article").filter({ hasText: "finally runs" }).last();
    await shows(reply, "not a number", 30_000);
    await shows(reply, "except ValueError");
    await reply.getByRole("button", { name: "Re-run" }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}run-result.png` });
    // 🖼 Flow adds the picture of the run to the reply: shown inline, its alt text the path in words.
    await reply.getByRole("button", { name: "🖼 Flow" }).click();
    const picture = reply.getByRole("img", { name: /try/ });
    await picture.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(100);
    await page.screenshot({ path: `${SCREENSHOTS}run-flow-picture.png` });
    await page.close();
  });

  it("runs the code block of a member's message with Run Python from the message's Apps menu", async () => {
    const page = await openAs(rig, "bob");
    await composer(page).fill("```py\ntry:\n    print('in try')\nfinally:\n    print('bye')\n```");
    await composer(page).press("Enter");
    const posted = page.getByRole("article").filter({ hasText: "in try" }).last();
    await posted.waitFor();
    await posted.hover();
    await posted.getByRole("button", { name: "Apps" }).click();
    await page.getByRole("menuitem", { name: "Run Python" }).click();
    const reply = page
      .getByRole("article")
      .filter({ hasText: "Run Python" })
      .filter({ hasText: "bye" })
      .last();
    await shows(reply, "finally", 30_000);
    await page.screenshot({ path: `${SCREENSHOTS}run-python-message.png` });
    await page.close();
  });

  it("lets the moderator use /config and hides it from a member", async () => {
    const page = await openAs(rig, "mod");
    await composer(page).fill("/con");
    await page.getByRole("option", { name: /\/config show/ }).waitFor();
    await send(page, "/config round-length seconds:45");
    await shows(page.getByRole("article").last(), "45 s", 15_000);
    await send(page, "/config show");
    await shows(page.getByRole("article").last(), "45", 15_000);
    await page.screenshot({ path: `${SCREENSHOTS}config-moderator.png` });

    await actAs(page, "Alice");
    await composer(page).fill("/con");
    await count(page.getByRole("option", { name: /\/config/ }), 0);
    await send(page, "/config show");
    await shows(page.getByRole("alert").filter({ hasText: "/config" }), "not a command here");
    await page.screenshot({ path: `${SCREENSHOTS}config-refused.png` });
    await page.close();
  });

  it("Reset starts the playground afresh: no messages, and Alice's answers are forgotten", async () => {
    const page = await openAs(rig, "alice");
    await send(page, "/progress");
    await shows(page.getByRole("article").last(), "right", 15_000); // the solo quiz above counted
    await page.getByRole("button", { name: "Reset" }).click();
    await count(page.getByRole("article"), 0, 60_000);
    await expect.poll(() => composer(page).isEnabled(), { timeout: 60_000 }).toBe(true);
    await send(page, "/progress");
    await shows(page.getByRole("article").last(), "You have not answered any question here yet", 15_000);
    await page.screenshot({ path: `${SCREENSHOTS}after-reset.png` });
    await page.close();
  });
});

// The page's Discord rendering, checked in real Chromium against a local Discord with a bare bot (raw REST
// and gateway, no discord.js) that posts what we choose and answers nothing: markdown, buttons and their
// states, selects, attachments (images inline), and "The application did not respond" after 3 s.
import { Resvg } from "@resvg/resvg-js";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { LocalDiscord } from "../../src/localDiscord/server.js";
import { startWebServer, type WebServer } from "../../src/playground/webServer.js";
import { browserSkipReason, launchChromium, SCREENSHOTS } from "./browser.js";

const skip = browserSkipReason();
if (skip) console.warn(`rendering tests skipped: ${skip}`);

let local: LocalDiscord;
let web: WebServer;
let browser: Browser;
let gateway: WebSocket;
let page: Page;

async function api(method: string, path: string, body?: unknown | FormData): Promise<Response> {
  const form = body instanceof FormData;
  return await fetch(`${local.url}/api/v10${path}`, {
    method,
    headers: { authorization: `Bot ${local.token}`, ...(form ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
}

beforeAll(async () => {
  if (skip) return;
  local = await new LocalDiscord().start();
  gateway = new WebSocket(local.url.replace("http", "ws"));
  await new Promise<void>((resolve) =>
    gateway.on("message", (raw) => {
      const m = JSON.parse(String(raw)) as { op: number; t: string | null };
      if (m.op === 10)
        gateway.send(JSON.stringify({ op: 2, d: { token: local.token, intents: 1, properties: {} } }));
      if (m.t === "GUILD_CREATE") resolve();
    }),
  );
  const put = await api("PUT", `/applications/${local.applicationId}/guilds/${local.guildId}/commands`, [
    { name: "ping", description: "Answers nothing", type: 1 },
  ]);
  expect(put.status).toBe(200);
  web = await startWebServer({ local, host: "127.0.0.1", port: 0, reset: async () => local.clearActivity() });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(`${web.url}/?as=alice`);
  await page.getByRole("textbox", { name: "Message #general" }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  gateway?.close();
  await web?.close();
  await local?.stop();
});

describe.skipIf(skip !== null)("the page's Discord rendering", () => {
  it("renders Discord markdown: emphasis, code with Python highlighting, subtext, headings, lists, live timestamps, mentions", async () => {
    const soon = Math.floor(Date.now() / 1000) + 40;
    const content = [
      "# A heading",
      "**bold** *italic* `inline code` for <@" +
        local.user("alice").id +
        "> in <#" +
        local.channels.lessons +
        ">",
      "```py\ntry:\n    pass\nfinally:\n    print('done')\n```",
      "- first item",
      "- second item",
      `Round ends <t:${soon}:R>`,
      "-# small print",
    ].join("\n");
    expect((await api("POST", `/channels/${local.channels.general}/messages`, { content })).status).toBe(200);
    const article = page.getByRole("article").filter({ hasText: "A heading" });
    await article.waitFor();
    expect(await article.locator("discord-header").textContent()).toBe("A heading");
    expect(await article.locator("strong").first().textContent()).toBe("bold");
    expect(await article.locator("em").first().textContent()).toBe("italic");
    expect(await article.locator("discord-code").first().textContent()).toBe("inline code");
    expect(await article.locator(".hljs-keyword").allTextContents()).toEqual(["try", "pass", "finally"]);
    expect(await article.locator("discord-list-item").allTextContents()).toEqual([
      "first item",
      "second item",
    ]);
    expect(await article.locator("discord-subscript").textContent()).toBe("small print");
    expect(await article.locator("discord-mention").allTextContents()).toEqual(["Alice", "python-lessons"]);
    const time = article.locator("time.ts");
    const before = await time.textContent();
    expect(before).toMatch(/^in \d+ seconds$/);
    await expect.poll(() => time.textContent(), { timeout: 5000 }).not.toBe(before);
  });

  it("renders buttons by label with their styles and disabled state, and selects as a combobox and a listbox", async () => {
    const content = "Pick one";
    const components = [
      {
        type: 1,
        components: [
          { type: 2, style: 1, label: "Go", custom_id: "go" },
          { type: 2, style: 4, label: "Stop", custom_id: "stop", disabled: true },
          { type: 2, style: 2, label: "Flow", emoji: { name: "🖼" }, custom_id: "flow" },
        ],
      },
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: "one",
            placeholder: "Choose an answer",
            options: [
              { label: "A", value: "a" },
              { label: "B", value: "b" },
            ],
          },
        ],
      },
      {
        type: 1,
        components: [
          {
            type: 3,
            custom_id: "many",
            placeholder: "Which clauses ran?",
            min_values: 1,
            max_values: 3,
            options: [
              { label: "try", value: "try" },
              { label: "except", value: "except" },
              { label: "finally", value: "finally" },
            ],
          },
        ],
      },
    ];
    const posted = await api("POST", `/channels/${local.channels.general}/messages`, { content, components });
    expect(posted.status).toBe(200);
    const article = page.getByRole("article").filter({ hasText: "Pick one" });
    await article.waitFor();
    expect(await article.getByRole("button", { name: "Go" }).isEnabled()).toBe(true);
    expect(await article.getByRole("button", { name: "Stop" }).isDisabled()).toBe(true);
    expect(await article.getByRole("button", { name: "Go" }).getAttribute("class")).toContain("primary");
    await article.getByRole("button", { name: "🖼 Flow" }).click();
    await expect.poll(() => lastData()?.custom_id).toBe("flow");
    const single = article.getByRole("combobox", { name: "Choose an answer" });
    expect(await single.getByRole("option").allTextContents()).toEqual(["A", "B"]);
    await single.selectOption("b");
    await expect.poll(() => lastData()?.values).toEqual(["b"]);
    const multi = article.getByRole("listbox", { name: "Which clauses ran?" });
    await multi.selectOption(["try", "finally"]);
    await article.getByRole("button", { name: "Submit choices" }).click();
    await expect.poll(() => lastData()?.values).toEqual(["try", "finally"]);
    await page.screenshot({ path: `${SCREENSHOTS}rendering-components.png` });
  });

  it("shows an image attachment inline and offers a text file for download", async () => {
    const png = new Resvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="#5865f2"/></svg>',
    )
      .render()
      .asPng();
    const form = new FormData();
    form.append(
      "payload_json",
      JSON.stringify({
        content: "A picture",
        attachments: [
          { id: 0, filename: "flow.png", description: "A blue box, in words" },
          { id: 1, filename: "output.txt" },
        ],
      }),
    );
    form.append("files[0]", new Blob([png], { type: "image/png" }), "flow.png");
    form.append("files[1]", new Blob(["line 1\nline 2\n"], { type: "text/plain" }), "output.txt");
    expect((await api("POST", `/channels/${local.channels.general}/messages`, form)).status).toBe(200);
    const article = page.getByRole("article").filter({ hasText: "A picture" });
    const image = article.getByRole("img", { name: "A blue box, in words" }); // its description is its alt text
    await image.waitFor();
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(120);
    const link = article.getByRole("link", { name: "output.txt" });
    const href = await link.getAttribute("href");
    const file = await page.request.get(new URL(href ?? "", `${web.url}/`).toString());
    expect(await file.text()).toBe("line 1\nline 2\n");
    await page.screenshot({ path: `${SCREENSHOTS}rendering-attachments.png` });
  });

  it('says "The application did not respond" 3 s after a command nobody answers, to that member only', async () => {
    const box = page.getByRole("textbox", { name: "Message #general" });
    await box.fill("/ping");
    await box.press("Enter");
    const notice = page.getByRole("article").filter({ hasText: "The application did not respond" });
    await notice.waitFor({ timeout: 8000 });
    expect(await notice.count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}rendering-no-response.png` });
    const bob = await browser.newPage();
    await bob.goto(`${web.url}/?as=bob`);
    await bob.getByRole("article").first().waitFor();
    expect(
      await bob.getByRole("article").filter({ hasText: "The application did not respond" }).count(),
    ).toBe(0);
    await bob.close();
  });
});

function lastData(): { custom_id?: string; values?: string[] } | undefined {
  const last = [...local.interactions.values()].at(-1);
  return last?.payload.data as { custom_id?: string; values?: string[] } | undefined;
}

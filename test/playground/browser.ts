// Real headless Chromium (Debian's, driven by playwright-core, which downloads nothing) on a real
// playground: the local Discord, the unchanged bot, the sandbox host and the page, in this process.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { loadCoreConfig, loadPlaygroundConfig } from "../../src/config.js";
import { allComponents, type StoredMessage } from "../../src/localDiscord/server.js";
import { createLogger } from "../../src/logger.js";
import { type Playground, startPlayground } from "../../src/playground/start.js";
import { createSandboxHost } from "../../src/runs/host/client.js";
import type { Runner } from "../../src/runs/index.js";
import { truthOf } from "../e2e/answers.js";

/** Debian's Chromium, which the set-up's --tests installs. */
const CHROMIUM = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Why browser tests must skip here (null: Chromium is installed). */
export function browserSkipReason(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is missing: \`bash scripts/setup.sh --tests\` installs Debian's chromium`;
}

export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Git-ignored screenshots of each flow, to look at. */
export const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

export interface PlaygroundRig {
  playground: Playground;
  sandbox: Runner;
  browser: Browser;
  close(): Promise<void>;
}

export async function startRig(env: Record<string, string> = {}): Promise<PlaygroundRig> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), "tutor-playground-"));
  const fullEnv = {
    ...process.env,
    PLAYGROUND_PORT: "0",
    PLAYGROUND_DATABASE_PATH: join(dir, "playground.db"),
    RUN_COOLDOWN_SECONDS: "0",
    ...env,
  };
  const sandbox = createSandboxHost(loadCoreConfig(fullEnv));
  const logger = createLogger(process.env.E2E_LOG ?? "silent");
  const playground = await startPlayground({
    settings: loadPlaygroundConfig(fullEnv),
    env: fullEnv,
    logger,
    sandbox,
  });
  const browser = await launchChromium();
  return {
    playground,
    sandbox,
    browser,
    async close() {
      await browser.close();
      await playground.close();
      await sandbox.close();
      await playground.closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page acting as `member`, with the composer ready. */
export async function openAs(
  rig: PlaygroundRig,
  member = "alice",
  viewport = { width: 1100, height: 760 },
): Promise<Page> {
  const page = await rig.browser.newPage({ viewport });
  await page.goto(`${rig.playground.url}/?as=${member}`);
  await page.getByRole("textbox", { name: /^Message/ }).waitFor();
  return page;
}

/** The choice a solo (qa:key:seed:choice) or group (ga:round:choice) answer button stands for. */
const choiceOf = (id: string) => (id.startsWith("qa:") ? id.split(":")[3] : id.split(":")[2]) ?? "";

/**
 * Answers a question message in the page, right or wrong, as a member would: the answer button with the
 * right label, or the select menu (found by its placeholder) with the right options.
 */
export async function answerIn(
  rig: PlaygroundRig,
  article: Locator,
  msg: StoredMessage,
  right: boolean,
): Promise<void> {
  const current = rig.playground.current();
  if (!current) throw new Error("the playground is resetting");
  const truth = await truthOf(current, msg);
  const components = allComponents(msg.components) as (ReturnType<typeof allComponents>[number] & {
    placeholder?: string;
    max_values?: number;
    options?: { value: string }[];
  })[];
  const menu = components.find((c) => c.type === 3 && /^(qm|gm):/.test(c.custom_id ?? ""));
  if (menu) {
    const wrong = (menu.options ?? []).map((o) => o.value).filter((v) => !truth.includes(v));
    const multi = (menu.max_values ?? 1) > 1;
    const values = right ? truth : multi ? [...truth, wrong[0] ?? ""] : [wrong[0] ?? ""];
    await article.getByRole(multi ? "listbox" : "combobox", { name: menu.placeholder }).selectOption(values);
    if (multi) await article.getByRole("button", { name: "Submit choices" }).click();
    return;
  }
  const button = components.find(
    (c) =>
      c.type === 2 &&
      /^(qa|ga):/.test(c.custom_id ?? "") &&
      truth.includes(choiceOf(c.custom_id ?? "")) === right,
  );
  if (!button?.label)
    throw new Error(`no ${right ? "right" : "wrong"} answer button: ${msg.content.slice(0, 80)}`);
  await article.getByRole("button", { name: button.label, exact: true }).click();
}

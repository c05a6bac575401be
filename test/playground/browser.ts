// Real headless Chromium (Debian's, driven by playwright-core, which downloads nothing) on a real
// playground: the local Discord, the unchanged bot, the sandbox host and the page, in this process.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { loadCoreConfig, loadPlaygroundConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { type Playground, startPlayground } from "../../src/playground/start.js";
import { createSandboxHost } from "../../src/sandbox/host/client.js";
import type { Sandbox } from "../../src/sandbox/index.js";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium(): Promise<Browser> {
  return await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Git-ignored screenshots of each flow, to look at. */
export const SCREENSHOTS = new URL("./screenshots/", import.meta.url).pathname;

export interface PlaygroundRig {
  playground: Playground;
  sandbox: Sandbox;
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page acting as `member`, with the composer ready. */
export async function openAs(rig: PlaygroundRig, member = "alice"): Promise<Page> {
  const page = await rig.browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(`${rig.playground.url}/?as=${member}`);
  await page.getByRole("textbox", { name: /^Message/ }).waitFor();
  return page;
}

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const main = new URL("../../src/main.ts", import.meta.url).pathname;

// An empty value counts as set for dotenv, so a developer's own .env cannot leak a real token into these runs.
function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [tsx, main], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", DISCORD_TOKEN: "", DISCORD_APPLICATION_ID: "", ...env },
    timeout: 60_000,
  });
}

describe("npm start", () => {
  // Without a token it starts the playground (test/e2e/npm-start.test.ts runs it); its settings are checked first.
  it("without a token refuses a playground database that is the Discord bot's, in one line", () => {
    const r = start({ DATABASE_PATH: "./data/same.db", PLAYGROUND_DATABASE_PATH: "data/same.db" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      "Setting PLAYGROUND_DATABASE_PATH must not be the Discord bot's DATABASE_PATH: the playground keeps its own file.",
    );
    expect(r.stdout).not.toContain("Playground:");
  });

  it("without a token names a bad playground setting in one line", () => {
    const r = start({ PLAYGROUND_PORT: "eighty" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^Setting PLAYGROUND_PORT .+\.$/);
  });

  it("names a bad setting in one line, without a stack trace", () => {
    const r = start({ DISCORD_TOKEN: "x", DISCORD_APPLICATION_ID: "not-a-number" });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe("Setting DISCORD_APPLICATION_ID must be the numeric application id.");
  });
});

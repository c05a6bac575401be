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
  it("without a token explains what to set and how to try the bot without Discord, and exits non-zero", () => {
    const r = start({});
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toContain("DISCORD_TOKEN");
    expect(r.stderr + r.stdout).toContain("stand-in");
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("names a bad setting in one line, without a stack trace", () => {
    const r = start({ DISCORD_TOKEN: "x", DISCORD_APPLICATION_ID: "not-a-number" });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toBe("Setting DISCORD_APPLICATION_ID must be the numeric application id.");
  });
});

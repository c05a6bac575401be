import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadBotConfig, loadCoreConfig, settingNames } from "../../src/config.js";

describe("configuration", () => {
  it("gives safe defaults for every core setting", () => {
    const c = loadCoreConfig({});
    expect(c.PYTHON).toBe("/usr/bin/python3.11");
    expect(c.DATABASE_PATH).toBe("./data/tutor.db");
    expect(c.SANDBOX_WALL_MS).toBe(5000);
    expect(c.SANDBOX_MEMORY_MB).toBe(128);
    expect(c.SANDBOX_PROCESSES).toBe(32);
  });

  it("treats an empty value as unset", () => {
    expect(loadCoreConfig({ SANDBOX_WALL_MS: "" }).SANDBOX_WALL_MS).toBe(5000);
  });

  it("names the missing setting in one line per problem, without a stack", () => {
    const err = (() => {
      try {
        loadBotConfig({ DISCORD_APPLICATION_ID: "123456789012" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe("Setting DISCORD_TOKEN is not set.");
  });

  it("says what is wrong with a bad value", () => {
    expect(() => loadCoreConfig({ SANDBOX_MEMORY_MB: "lots" })).toThrow(/^Setting SANDBOX_MEMORY_MB /);
    expect(() => loadBotConfig({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "abc" })).toThrow(
      "Setting DISCORD_APPLICATION_ID must be the numeric application id.",
    );
  });

  it("takes a PostgreSQL URL for the store, and nothing else", () => {
    expect(loadCoreConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadCoreConfig({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    const url = "postgres://tutor:secret@127.0.0.1:5432/tutor";
    expect(loadCoreConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(() => loadCoreConfig({ DATABASE_URL: "mysql://x/y" })).toThrow(
      "Setting DATABASE_URL must be a postgres:// URL (or empty for SQLite at DATABASE_PATH).",
    );
  });

  it("strips a trailing slash from the API URL", () => {
    const c = loadBotConfig({
      DISCORD_TOKEN: "t",
      DISCORD_APPLICATION_ID: "123456",
      DISCORD_API_URL: "http://127.0.0.1:9/api/",
    });
    expect(c.DISCORD_API_URL).toBe("http://127.0.0.1:9/api");
  });

  it("documents every setting in .env.example with a comment", () => {
    const example = readFileSync(new URL("../../.env.example", import.meta.url), "utf8").split("\n");
    for (const name of settingNames) {
      const at = example.findIndex((l) => l.startsWith(`${name}=`));
      expect(at, `${name} missing from .env.example`).toBeGreaterThan(0);
      expect(example[at - 1]?.startsWith("#"), `${name} has no comment above it`).toBe(true);
    }
  });
});

describe("README", () => {
  it("has every setting in its configuration table", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const name of settingNames)
      expect(readme, `${name} missing from README`).toContain(`| \`${name}\` |`);
  });
});

// The bot against the local stand-in: command registration, /config by a moderator and refused for a
// member, unknown buttons, and the rules every request must keep (schema, limits, 3 s).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STALE_TEXT } from "../../src/bot/router.js";
import { type Harness, noRuns, startHarness } from "./harness.js";

let h: Harness;
beforeAll(async () => {
  // /config needs no code runs: the sandbox stays out of this file.
  h = await startHarness({ runCode: noRuns });
});
afterAll(async () => {
  await h?.close();
});

describe("the bot on the stand-in", () => {
  it("connects with the Guilds intent only and registers its commands in the server", () => {
    if (h.standin.validator.skipReason) console.warn(h.standin.validator.skipReason);
    expect(h.standin.identifies[0]?.intents).toBe(1);
    const names = h.standin.commands.guild.map((c) => c.name).sort();
    const lessonCommands = h.engine.lessons().map((l) => l.command);
    expect(lessonCommands).toContain("finally");
    expect(names).toEqual(
      [...lessonCommands, "Run Python", "config", "leaderboard", "progress", "run"].sort(),
    );
    const config = h.standin.commands.guild.find((c) => c.name === "config");
    expect(Number(config?.default_member_permissions)).toBe(32); // Manage Server
    const put = h.standin.requests.find((r) => r.method === "PUT");
    expect(put?.status).toBe(200);
  });

  it("lets a moderator change and show the settings", async () => {
    const { standin } = h;
    const add = standin.slash("config lesson-channels add", {
      user: "mod",
      options: { channel: { channel: standin.channels.lessons } },
    });
    expect((await standin.reply(add)).content).toContain(
      `<#${standin.channels.lessons}> is now a lesson channel`,
    );
    const run = standin.slash("config run", { user: "mod", options: { where: "lesson_channels" } });
    expect((await standin.reply(run)).content).toContain("only in the lesson channels");
    const len = standin.slash("config round-length", { user: "mod", options: { seconds: 45 } });
    expect((await standin.reply(len)).content).toContain("45 s");
    const bad = standin.slash("config daily", {
      user: "mod",
      options: { channel: { channel: standin.channels.lessons }, time: "25:00", timezone: "Mars/Olympus" },
    });
    expect((await standin.reply(bad)).content).toContain("is not a time");
    const show = standin.slash("config show", { user: "mod" });
    const shown = await standin.reply(show);
    expect(shown.flags & 64).toBe(64);
    expect(shown.content).toMatch(/Lesson channels: <#\d+>/);
    expect(shown.content).toContain("Group round length: 45 s");
    expect(shown.content).toContain("• Sandbox: ");
    // The stored settings are what the bot now enforces: /run in #general is refused, with where it is allowed.
    const refused = standin.slash("run", { user: "alice", channel: standin.channels.general });
    const msg = await standin.reply(refused);
    expect(msg.content).toContain("allowed only in the lesson channels");
    expect(msg.flags & 64).toBe(64);
    expect((await h.bot.services.settings.get(standin.guildId)).runMode).toBe("lesson_channels");
  });

  it("is hidden from members by Discord, and refused by the bot itself if a server overrides that", async () => {
    const { standin } = h;
    expect(() => standin.slash("config show", { user: "alice" })).toThrow(/would not show/);
    const forced = standin.slash("config run", {
      user: "alice",
      options: { where: "off" },
      bypassPermissions: true,
    });
    const msg = await standin.reply(forced);
    expect(msg.content).toContain("Manage Server");
    expect((await h.bot.services.settings.get(standin.guildId)).runMode).toBe("lesson_channels");
  });

  it("answers a button it does not know with a clear ephemeral message", async () => {
    const { standin } = h;
    const fake = standin.postMessage("alice", "old reply");
    fake.components = [
      { type: 1, components: [{ type: 2, style: 1, label: "Old", custom_id: "ga:99999:A" }] },
    ];
    const click = standin.click(fake, "ga:99999:A", "bob");
    const msg = await standin.reply(click);
    expect(msg.content).toBe(STALE_TEXT);
    expect(msg.flags & 64).toBe(64);
  });

  it("kept every rule: valid bodies, first response within 3 s, one initial response", () => {
    expect(h.standin.violations).toEqual([]);
    expect(h.standin.unanswered()).toEqual([]);
  });
});

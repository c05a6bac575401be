// Discord's text form of slash commands, read against registered commands only.
import { describe, expect, it } from "vitest";
import { commandPaths, parseSlash, type SlashCommand, suggest } from "../../src/playground/slashText.js";

const commands: SlashCommand[] = [
  {
    name: "finally",
    description: "The finally lesson",
    options: [
      {
        type: 1,
        name: "quiz",
        description: "A question",
        options: [
          {
            type: 3,
            name: "mode",
            description: "solo or group",
            choices: [
              { name: "Solo", value: "solo" },
              { name: "Group", value: "group" },
            ],
          },
        ],
      },
      {
        type: 1,
        name: "read",
        description: "Read",
        options: [{ type: 3, name: "section", description: "Section" }],
      },
    ],
  },
  { name: "run", description: "Run code", options: [{ type: 11, name: "file", description: "A .py file" }] },
  {
    name: "config",
    description: "Settings",
    options: [
      {
        type: 1,
        name: "round-length",
        description: "Round length",
        options: [
          {
            type: 4,
            name: "seconds",
            description: "10 to 600",
            required: true,
            min_value: 10,
            max_value: 600,
          },
        ],
      },
      {
        type: 2,
        name: "lesson-channels",
        description: "Lesson channels",
        options: [
          {
            type: 1,
            name: "add",
            description: "Add",
            options: [{ type: 7, name: "channel", description: "Channel", required: true }],
          },
        ],
      },
    ],
  },
];
const channels = { general: "111", "python-lessons": "222" };

describe("the slash text form", () => {
  it("lists every invocable path, subcommand groups included", () => {
    expect(commandPaths(commands).map((p) => p.path)).toEqual([
      "finally quiz",
      "finally read",
      "run",
      "config round-length",
      "config lesson-channels add",
    ]);
  });

  it("reads options by type: choices, integers with their bounds, channels by name, values with spaces", () => {
    expect(parseSlash("/finally quiz mode:group", commands, channels)).toEqual({
      ok: true,
      path: "finally quiz",
      options: { mode: "group" },
      attachment: null,
    });
    expect(parseSlash("/finally read section:one pattern", commands, channels)).toMatchObject({
      options: { section: "one pattern" },
    });
    expect(parseSlash("/config round-length seconds:45", commands, channels)).toMatchObject({
      options: { seconds: 45 },
    });
    expect(
      parseSlash("/config lesson-channels add channel:#python-lessons", commands, channels),
    ).toMatchObject({
      options: { channel: { channel: "222" } },
    });
    expect(parseSlash("/run", commands, channels)).toMatchObject({
      ok: true,
      attachment: { name: "file", required: false },
    });
  });

  it("says what is wrong in one line", () => {
    const error = (text: string) => {
      const r = parseSlash(text, commands, channels);
      return r.ok ? null : r.error;
    };
    expect(error("/finally quiz mode:pairs")).toBe("mode: must be one of solo, group");
    expect(error("/config round-length seconds:5")).toBe("seconds: at least 10");
    expect(error("/config round-length seconds:ten")).toBe('seconds: "ten" is not a whole number');
    expect(error("/config round-length")).toBe("/config round-length needs seconds:");
    expect(error("/finally")).toBe("/finally needs one of: quiz, read");
    expect(error("/nothing")).toBe("/nothing is not a command here");
    expect(error("/config lesson-channels add channel:#nowhere")).toBe("channel: no channel #nowhere");
    expect(error("/finally quiz group")).toContain("options are written name:value");
  });

  it("suggests paths, then the options not yet given, then an option's choices", () => {
    expect(suggest("/fin", commands).map((s) => s.label)).toEqual(["/finally quiz", "/finally read"]);
    expect(suggest("/finally quiz ", commands).map((s) => s.text)).toEqual(["/finally quiz mode:"]);
    expect(suggest("/finally quiz mode:", commands).map((s) => s.text)).toEqual([
      "/finally quiz mode:solo ",
      "/finally quiz mode:group ",
    ]);
    expect(suggest("/finally quiz mode:solo ", commands)).toEqual([]);
    expect(suggest("hello", commands)).toEqual([]);
  });
});

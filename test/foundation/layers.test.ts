// The house rules the code itself can prove: layers know each other one way, no import cycle, small files,
// and each Discord limit written once.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cycles, fileGraph, moduleGraph, ROOT, readSources, type SourceFile } from "./importGraph.js";

const files = readSources(["src", "commands"]);
const src = files.filter((f) => f.path.startsWith("src/"));

/** Imports of files in `from` that reach into any of `forbidden` (folders of the repository). */
function reaching(from: string, forbidden: string[]): string[] {
  return files
    .filter((f) => f.path.startsWith(`${from}/`))
    .flatMap((f) =>
      f.imports.filter((i) => forbidden.some((d) => i.startsWith(`${d}/`))).map((i) => `${f.path} -> ${i}`),
    );
}

describe("the import graph", () => {
  it("is read from every file of src/ and commands/ (the checks below see real imports)", () => {
    expect(src.length).toBeGreaterThan(50);
    const start = files.find((f) => f.path === "src/bot/start.ts") as SourceFile;
    expect(start.imports).toContain("commands/index.ts");
    expect(start.packages).toContain("discord.js");
  });

  it("finds a cycle when there is one (the checker itself can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(cycles(graph)).toEqual([["a", "b", "c"], ["e"]]);
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", []],
        ]),
      ),
    ).toEqual([]);
  });

  it("has no import cycle between files of src/ and commands/", () => {
    expect(cycles(fileGraph(files))).toEqual([]);
  });

  it("has no cycle between the folders of src/ (each layer knows the others one way)", () => {
    expect(cycles(moduleGraph(src))).toEqual([]);
  });

  it("src/sandbox imports nothing from the explainer, the lessons, the quiz, the runs layer or the bot", () => {
    expect(
      reaching("src/sandbox", [
        "src/explain",
        "src/lessons",
        "src/quiz",
        "src/runs",
        "src/bot",
        "src/cli",
        "commands",
      ]),
    ).toEqual([]);
  });

  it("the core knows nothing of Discord, the bot or the CLI", () => {
    for (const core of [
      "src/sandbox",
      "src/explain",
      "src/runs",
      "src/runQueue",
      "src/lessons",
      "src/quiz",
      "src/store",
      "src/picture",
    ]) {
      expect(reaching(core, ["src/bot", "src/cli", "commands"])).toEqual([]);
      const discord = files
        .filter((f) => f.path.startsWith(`${core}/`))
        .filter((f) => f.packages.some((p) => p === "discord.js" || p.startsWith("@discordjs/")))
        .map((f) => f.path);
      expect(discord).toEqual([]);
    }
  });
});

describe("file sizes", () => {
  it("no file under src/ is over 500 lines", () => {
    const big = src.filter((f) => f.lines > 500).map((f) => `${f.path}: ${f.lines} lines`);
    expect(big).toEqual([]);
  });
});

describe("Discord's limits", () => {
  const home = "src/bot/discordLimits.ts";
  const discordSide = files.filter((f) => f.path.startsWith("src/bot/") || f.path.startsWith("commands/"));
  const text = (f: SourceFile) =>
    readFileSync(join(ROOT, f.path), "utf8")
      .split("\n")
      .filter((l) => !l.trim().startsWith("//") && !l.trim().startsWith("*"))
      .join("\n");

  it("the message, text-input and mention rules are written only in discordLimits.ts", () => {
    const stray = discordSide
      .filter((f) => f.path !== home)
      .flatMap((f) => {
        const body = text(f);
        return [/\b2000\b/, /\b4000\b/, /parse: \[\]/]
          .filter((re) => re.test(body.replace(/AbortSignal\.timeout\(\d+\)/g, "")))
          .map((re) => `${f.path}: ${re.source}`);
      });
    expect(stray).toEqual([]);
    expect(text(files.find((f) => f.path === home) as SourceFile)).toMatch(/MESSAGE_CONTENT_MAX = 2000/);
  });

  it("a lesson's choice label fits a Discord button", async () => {
    const { MAX_LABEL } = await import("../../src/lessons/choices.js");
    const { BUTTON_LABEL_MAX } = await import("../../src/bot/discordLimits.js");
    expect(MAX_LABEL).toBeLessThanOrEqual(BUTTON_LABEL_MAX);
  });
});

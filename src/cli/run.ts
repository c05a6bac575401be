// `tutor run [--json] [--stdin FILE] [--picture FILE.png [--theme light]] FILE|-`: runs code in the
// sandbox exactly as /run does; --picture also writes the picture of the run (stdout is unchanged).
// Exit: 0 the program ran (whatever it did), 2 usage error or bad input, 3 refused.
import { readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { ThemeName } from "../picture/index.js";
import { createRunner, type ExplainedRun } from "../runs/index.js";
import { codeText, type RunResult } from "../sandbox/types.js";
import { renderRunText } from "./render.js";

const USAGE = "usage: tutor run [--json] [--stdin FILE] [--picture FILE.png [--theme dark|light]] FILE|-";

interface RunArgs {
  json: boolean;
  stdinFile: string | null;
  source: string;
  picture: string | null;
  theme: ThemeName;
}

function parseArgs(args: string[]): RunArgs | string {
  let json = false;
  let stdinFile: string | null = null;
  let source: string | null = null;
  let picture: string | null = null;
  let theme: string = "dark";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--stdin" || arg === "--picture" || arg === "--theme") {
      const next = args[++i];
      if (next === undefined) return `${arg} needs a ${arg === "--theme" ? "theme (dark or light)" : "FILE"}`;
      if (arg === "--stdin") stdinFile = next;
      else if (arg === "--picture") picture = next;
      else theme = next;
    } else if (arg.startsWith("--stdin=")) stdinFile = arg.slice("--stdin=".length);
    else if (arg.startsWith("--picture=")) picture = arg.slice("--picture=".length);
    else if (arg.startsWith("--theme=")) theme = arg.slice("--theme=".length);
    else if (arg.startsWith("-") && arg !== "-") return `unknown option ${arg}`;
    else if (source !== null) return "give one FILE (or - for standard input)";
    else source = arg;
  }
  if (source === null) return "give the FILE to run (or - to read the code from standard input)";
  if (theme !== "dark" && theme !== "light") return `--theme is dark or light, not "${theme}"`;
  if (theme !== "dark" && picture === null) return "--theme goes with --picture FILE.png";
  return { json, stdinFile, source, picture, theme };
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return path === "-" ? await readStdin() : await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (code ?? "unreadable");
    throw new BadInput(`tutor run: cannot read ${what} ${path}: ${why}`);
  }
}

/** The stdin file is text for input(), so it must be UTF-8 (the code file is not: Python reads its bytes). */
async function readText(path: string, what: string): Promise<string> {
  const bytes = await readBytes(path, what);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadInput(`tutor run: ${what} ${path === "-" ? "(standard input)" : path} is not UTF-8 text`);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

class BadInput extends Error {}

export async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    console.error(`tutor run: ${parsed}\n${USAGE}`);
    return 2;
  }
  let code: Buffer;
  let stdin: string | undefined;
  try {
    // As bytes: Python decodes them as it decodes main.py (PEP 263), coding declaration and all.
    code = await readBytes(parsed.source, "code file");
    if (parsed.stdinFile !== null) stdin = await readText(parsed.stdinFile, "stdin file");
  } catch (err) {
    if (err instanceof BadInput) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (codeText(code).trim() === "") {
    console.error("tutor run: the code is empty; there is nothing to run");
    return 2;
  }
  // Checked before running, so a typo in the path costs no run.
  if (parsed.picture !== null && !(await isDirectory(dirname(parsed.picture)))) {
    console.error(`tutor run: cannot write the picture to ${parsed.picture}: no such directory`);
    return 2;
  }

  const sandbox = createRunner();
  let result: ExplainedRun;
  try {
    result = await sandbox.run(stdin === undefined ? { code } : { code, stdin });
  } finally {
    await sandbox.close();
  }
  if (parsed.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(renderRunText(result));
  if (parsed.picture !== null) await writePicture(parsed.picture, parsed.theme, result, codeText(code));
  return result.status === "refused" ? 3 : 0;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Writes the picture of a run; says on stderr (never stdout, which stays the run's) what it did. */
async function writePicture(path: string, theme: ThemeName, result: RunResult, code: string): Promise<void> {
  if (result.status === "refused") {
    console.error("tutor run: no picture: the code was not run");
    return;
  }
  const { renderFlowPng } = await import("../picture/index.js");
  const picture = renderFlowPng(result, code, { theme });
  await writeFile(path, picture.png);
  console.error(
    `tutor run: picture written to ${path} (${Math.round(picture.png.length / 1024)} KB): ${picture.alt}`,
  );
}

// `tutor run [--json] [--stdin FILE] FILE|-`: runs code in the sandbox exactly as /run does.
// Exit: 0 the program ran (whatever it did), 2 usage error or bad input, 3 refused.
import { readFile } from "node:fs/promises";
import { createRunner, type ExplainedRun } from "../runs/index.js";
import { codeText } from "../sandbox/types.js";
import { renderRunText } from "./render.js";

const USAGE = "usage: tutor run [--json] [--stdin FILE] FILE|-";

interface RunArgs {
  json: boolean;
  stdinFile: string | null;
  source: string;
}

function parseArgs(args: string[]): RunArgs | string {
  let json = false;
  let stdinFile: string | null = null;
  let source: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--json") json = true;
    else if (arg === "--stdin") {
      const next = args[++i];
      if (next === undefined) return "--stdin needs a FILE";
      stdinFile = next;
    } else if (arg.startsWith("--stdin=")) stdinFile = arg.slice("--stdin=".length);
    else if (arg.startsWith("-") && arg !== "-") return `unknown option ${arg}`;
    else if (source !== null) return "give one FILE (or - for standard input)";
    else source = arg;
  }
  if (source === null) return "give the FILE to run (or - to read the code from standard input)";
  return { json, stdinFile, source };
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

  const sandbox = createRunner();
  let result: ExplainedRun;
  try {
    result = await sandbox.run(stdin === undefined ? { code } : { code, stdin });
  } finally {
    await sandbox.close();
  }
  if (parsed.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(renderRunText(result));
  return result.status === "refused" ? 3 : 0;
}

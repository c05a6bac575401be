// `npm start`'s process (src/main.ts under tsx), in a process group of its own: the npm-start e2e tests
// and the start-up bench run the bot exactly as a user does.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

// As `npm start` runs it: tsx as a loader in the bot's own process (the tsx CLI would add a second process).
const tsx = import.meta.resolve("tsx");
const main = new URL("../../src/main.ts", import.meta.url).pathname;

/** Processes of a process group that are not zombies (an exited child its parent has yet to reap). */
export function runningInGroup(pgid: number): string[] {
  const running: string[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after its last ")".
    const [state, , group] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(group) === pgid && state !== "Z")
      running.push(`${pid} ${stat.slice(0, stat.lastIndexOf(")") + 1)}`);
  }
  return running;
}

/** `npm start`'s process, in a process group of its own so a test can tell whether anything of it outlived it. */
export class BotProcess {
  readonly proc: ChildProcess;
  output = "";
  readonly exited: Promise<number | null>;

  constructor(env: Record<string, string>, args: string[] = []) {
    this.proc = spawn(process.execPath, ["--import", tsx, main, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [this.proc.stdout, this.proc.stderr])
      stream?.on("data", (d: Buffer) => {
        this.output += d.toString();
      });
    this.exited = new Promise((resolve) => this.proc.once("exit", (code) => resolve(code)));
  }

  /** Resolves once the log says `text`; rejects if the bot exits first. */
  async logged(text: string): Promise<void> {
    let poll: NodeJS.Timeout | undefined;
    const seen = new Promise<void>((resolve) => {
      poll = setInterval(() => this.output.includes(text) && resolve(), 50);
    });
    const died = this.exited.then((code) => {
      throw new Error(`the bot exited (${code}) before logging ${text}:\n${this.output}`);
    });
    try {
      await Promise.race([seen, died]);
    } finally {
      clearInterval(poll);
    }
  }

  /** Processes of its group still running. */
  leftRunning(): string[] {
    return runningInGroup(this.proc.pid as number);
  }

  kill(): void {
    if (this.proc.pid && this.proc.exitCode === null && this.proc.signalCode === null)
      process.kill(-this.proc.pid, "SIGKILL");
  }
}

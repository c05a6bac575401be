// Runs a program's misconception variants in the sandbox: one sandbox run that parses the program,
// applies every rule of ./python/rules.py and runs each different rewritten program (./python/harness.py).
// The member's code is only ever parsed and run in there; this side only builds the request and reads JSON.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { RunStatus, UncaughtException } from "../sandbox/types.js";
import { CATALOGUE_VERSION } from "./catalogue.js";
import type { RunCodeForRules } from "./types.js";

const read = (name: string) => readFileSync(new URL(`./python/${name}`, import.meta.url), "utf8");
/** The framework, the rules, then the harness that runs them: one program, in this order. */
const PROGRAM = ["rewrite.py", "rules_try.py", "rules_program.py", "harness.py"].map(read).join("\n");

/** Changes whenever the rules or the catalogue change, so cached wrong answers are derived again. */
export const RULES_VERSION = createHash("sha256")
  .update(`${CATALOGUE_VERSION}\n${PROGRAM}`)
  .digest("hex")
  .slice(0, 16);

/** Lines of the original program a rule changed, by role ("finally", "except", "try", "else", "with"). */
export type RuleLines = Partial<Record<string, number[]>>;

/** One try statement of the program, with the lines of its clauses. */
export interface TryShape {
  line: number;
  end: number;
  handlers: number[];
  else: number | null;
  finally: number | null;
  finallyEnd: number | null;
}

export interface ProgramShape {
  tries: TryShape[];
  withs: number[];
}

/** One rewritten program (several rules may give the same one) and what it did when run. */
export interface Variant {
  rules: string[];
  lines: Record<string, RuleLines>;
  /** "ok" | "exception" | "exit" | "timeout" (out of steps) | "unusable" (the rewrite does not compile). */
  status: RunStatus | "unusable";
  exception: UncaughtException | null;
  stdout: string;
  truncated: boolean;
}

export interface VariantReport {
  shape: ProgramShape;
  variants: Variant[];
}

export class VariantError extends Error {
  override name = "VariantError";
}

/** The program sent to the sandbox for `source`. */
export function variantProgram(source: string, rules?: string[]): string {
  const only = rules ? `, ${JSON.stringify(rules)}` : "";
  return `${PROGRAM}\nmisconception_report(${JSON.stringify(source)}${only})\n`;
}

/** Runs every rule on `source` in the sandbox. Throws VariantError when the report cannot be had. */
export async function runVariants(
  source: string,
  runner: RunCodeForRules,
  rules?: string[],
): Promise<VariantReport> {
  // No clause trace: only the printed report matters, and the harness sets its own step counter.
  const run = await runner({ code: variantProgram(source, rules), trace: false });
  const last = run.stdout.trimEnd().split("\n").at(-1) ?? "";
  if (run.status !== "ok" || !last.startsWith("{")) {
    const why = run.exception
      ? `${run.exception.type}: ${run.exception.message}`
      : (run.reason ?? run.status);
    throw new VariantError(`the misconception rules could not run: ${why}`);
  }
  return JSON.parse(last) as VariantReport;
}

// The picture and the text explanation are two renderings of one clause report: for every lesson
// program and every program of ../shared/clause-report/examples/, run in the real sandbox, the
// picture's lanes (clauses that ran and were skipped, the raise, what was pending, the outcome), its
// marks and its numbered output are exactly the report's, and the explanation names the same things.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clauseLines } from "../../src/explain/index.js";
import { tryShape } from "../../src/explain/source.js";
import { readLessons } from "../../src/lessons/load.js";
import { drawFlow } from "../../src/picture/index.js";
import { drawnRuns, OUTPUTS_DRAWN } from "../../src/picture/model.js";
import type { TryRun, WithRun } from "../../src/picture/types.js";
import { createRunner, type ExplainedRun } from "../../src/runs/index.js";
import { sandboxSkipReason } from "../sandboxGate.js";
import { type Attrs, readStructure } from "./svgRead.js";

const EXAMPLES = join(import.meta.dirname, "../../../shared/clause-report/examples");
const LESSONS = join(import.meta.dirname, "../../lessons");

const sandbox = createRunner();
afterAll(() => Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]));

const skip = await sandboxSkipReason();

interface Program {
  name: string;
  code: string;
}

async function programs(): Promise<Program[]> {
  const out: Program[] = [];
  let examples: string[] = [];
  try {
    examples = readdirSync(EXAMPLES).filter((f) => f.endsWith(".py"));
  } catch {
    // ../shared is beside the repository on the team's machines; elsewhere only the lessons are checked.
  }
  for (const f of examples.sort())
    out.push({ name: `example ${f}`, code: readFileSync(join(EXAMPLES, f), "utf8") });
  const { lessons } = await readLessons(LESSONS);
  const seen = new Set(out.map((p) => p.code));
  for (const l of lessons)
    for (const s of l.sections)
      for (const [name, code] of [
        [`lesson ${l.id}#${s.id}`, s.code.source],
        ...s.questions.map((q) => [`question ${q.key}`, q.code.source]),
      ] as [string, string][]) {
        if (seen.has(code)) continue;
        seen.add(code);
        out.push({ name, code });
      }
  return out;
}

const all = await programs();

/** What the lane of one execution must say, computed from the report entry and the source alone. */
function expectedTryLane(e: TryRun, run: number, source: string): Attrs {
  const headers = tryShape(source, e.line).headers;
  const handlers = new Set(
    e.handlers && e.handlers.length > 0 ? e.handlers : e.handler !== null ? [e.handler] : [],
  );
  const clauses = [{ kind: "try", line: e.line, ran: true }].concat(
    headers.map((h) => ({
      kind: h.kind,
      line: h.line,
      ran: h.kind === "except" ? handlers.has(h.line) : h.kind === "else" ? e.else : e.finally,
    })),
  );
  const id = (c: { kind: string; line: number }) => `${c.kind}@${c.line}`;
  const lane: Attrs = {
    kind: "try",
    line: String(e.line),
    run: String(run),
    ran: clauses
      .filter((c) => c.ran)
      .map(id)
      .join(","),
    skipped: clauses
      .filter((c) => !c.ran)
      .map(id)
      .join(","),
    raise: e.body === "raised" ? (e.raised ?? "") : "",
    outcome: e.outcome,
    exception: e.exception ?? "",
  };
  if (e.raisedLine !== undefined) lane["raise-line"] = String(e.raisedLine ?? "");
  if (e.pending !== undefined)
    lane.pending =
      e.pending === null
        ? ""
        : e.pending.kind === "exception"
          ? `exception:${e.pending.type}`
          : e.pending.kind;
  return lane;
}

function expectedWithLane(w: WithRun, run: number): Attrs {
  return {
    kind: "with",
    line: String(w.line),
    run: String(run),
    entered: String(w.body !== "not_entered"),
    got: w.raised ?? "None",
    suppressed: String(w.suppressed),
    outcome: w.outcome,
    exception: w.exception ?? "",
  };
}

function byLine<T extends { line: number }>(items: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const it of items) m.set(it.line, [...(m.get(it.line) ?? []), it]);
  return m;
}

const pick = (a: Attrs, keys: string[]): Attrs =>
  Object.fromEntries(keys.map((k) => [k, a[k] ?? "(missing)"]));

/** The explanation's words for each report outcome (any of them will do). */
const OUTCOME_WORDS: Record<string, RegExp> = {
  completed: /no exception|completed|went on/,
  caught: /caught/,
  propagated: /propagated|escaped|not caught/,
  returned: /return/,
  broke: /break/,
  continued: /continue/,
};

describe.skipIf(skip !== null)(
  `the picture shows what the report and the explanation say${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    it("finds the programs: every lesson example and question, and the clause-report examples", () => {
      expect(all.length).toBeGreaterThan(20);
    });

    for (const program of all) {
      it(program.name, async () => {
        const run: ExplainedRun = await sandbox.run({ code: program.code });
        expect(["ok", "exception", "exit"], run.reason ?? run.stderr).toContain(run.status);
        const { svg } = drawFlow(run, program.code);
        const picture = readStructure(svg);
        expect(picture.status).toBe(run.status);

        // Lanes: one per drawn execution, each saying exactly what its report entry says.
        const expected: Attrs[] = [];
        for (const [, runs] of byLine(run.tries as TryRun[]))
          for (const i of drawnRuns(runs.length))
            expected.push(expectedTryLane(runs[i] as TryRun, i + 1, program.code));
        const withs: WithRun[] = run.withs ?? [];
        for (const [, runs] of byLine(withs))
          for (const i of drawnRuns(runs.length)) expected.push(expectedWithLane(runs[i] as WithRun, i + 1));
        const key = (a: Attrs) => `${a.kind}:${a.line}:${a.run}`;
        const lanes = new Map(picture.runs.map((a) => [key(a), a]));
        expect([...lanes.keys()].sort()).toEqual(expected.map(key).sort());
        for (const want of expected) {
          const got = lanes.get(key(want)) as Attrs;
          expect(pick(got, Object.keys(want)), `lane ${key(want)}`).toEqual(want);
        }

        // Marks: a raise mark where each drawn body raised, an outcome mark per drawn execution.
        const marksOf = (kind: string, statement: string) =>
          picture.marks.filter(
            (m) => m.mark === kind && (m.statements ?? m.statement ?? "").split(",").includes(statement),
          );
        for (const lane of expected.filter((l) => l.kind === "try")) {
          const runs = (m: Attrs) => m.runs === "" || m.runs?.split(",").includes(lane.run as string);
          const outcomes = marksOf("outcome", lane.line as string).filter(runs);
          expect(
            outcomes.map((m) => m.outcome),
            `outcome mark of ${key(lane)}`,
          ).toEqual([lane.outcome]);
          expect(outcomes[0]?.exception).toBe(lane.exception);
          const raises = marksOf("raise", lane.line as string).filter((m) => runs(m) && m.from === undefined);
          expect(
            raises.map((m) => m.type),
            `raise mark of ${key(lane)}`,
          ).toEqual(lane.raise ? [lane.raise] : []);
          // Where it was raised; drawn on that line when it lies in the statement, else on the try line.
          if (lane["raise-line"]) {
            expect(raises[0]?.at).toBe(lane["raise-line"]);
            expect([lane["raise-line"], lane.line]).toContain(raises[0]?.line);
          }
          if (lane.pending !== undefined) {
            const pending = marksOf("pending", lane.line as string).filter(runs);
            expect(
              pending.map((m) => m.pending),
              `pending mark of ${key(lane)}`,
            ).toEqual(lane.pending ? [lane.pending] : []);
          }
        }

        // Printed lines: numbered in order, beside the line that printed them.
        const printed = clauseLines(
          run.output.filter((p) => p.line !== null),
          "both",
        )
          .map((l, i) => ({ n: String(i + 1), line: String(l.line) }))
          .slice(0, OUTPUTS_DRAWN);
        const numbered = picture.marks
          .filter((m) => m.mark === "output")
          .map((m) => ({ n: m.n, line: m.line }))
          .sort((a, b) => Number(a.n) - Number(b.n));
        expect(numbered).toEqual(printed);

        // The explanation, built from the same report, names the same statements, exceptions and outcomes.
        const text = run.explanation;
        const statements = [...byLine(run.tries).keys()].slice(0, 4);
        for (const line of statements) {
          expect(text, `explanation of try at line ${line}`).toContain(`at line ${line}`);
          for (const e of run.tries.filter((t) => t.line === line).slice(0, 1)) {
            expect(text).toMatch(OUTCOME_WORDS[e.outcome] as RegExp);
            if (e.raised) expect(text).toContain(e.raised);
            if (e.exception) expect(text).toContain(e.exception);
          }
        }
      });
    }
  },
);

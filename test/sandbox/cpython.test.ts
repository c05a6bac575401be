// CPython's own test modules as the member program: each module of Debian's libpython3.11-testsuite
// below runs as main.py through the real sandbox, traced (as `tutor run` does), and under plain
// `/usr/bin/python3.11 -I -S main.py` outside the sandbox (Debian's code, not member code), and every
// test must have the same outcome both ways. The one change to the file: `unittest.main()` becomes
// `unittest.main(verbosity=2)` (same line count), so each test's outcome is printed.
// Some tests fail both ways (they expect the file to be named test_*.py): that is the same outcome.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createSandbox } from "../../src/sandbox/index.js";
import { sandboxSkipReason } from "../sandboxGate.js";

const TEST_DIR = "/usr/lib/python3.11/test";
const MODULES = [
  "test_exceptions",
  "test_with",
  "test_contextlib",
  "test_generators",
  "test_grammar",
  "test_traceback",
  "test_scope",
  "test_coroutines",
  "test_exception_group",
];
/** Tests built on sys.settrace: out of scope, because the tracer's probes are ordinary lines of the program's
 * code objects, so line events (and a trace function's view of the frames) differ under it (README). */
const OUT_OF_SCOPE = new Set([
  "__main__.ScopeTests.testLocalsClass_WithTrace",
  "__main__.ScopeTests.testInteractionWithTraceFunc",
]);

const config = loadCoreConfig({});
// Room for a whole test module: CPU, memory, output (unittest's verbose report goes to stderr).
const sandbox = createSandbox({
  ...config,
  SANDBOX_WALL_MS: 120_000,
  SANDBOX_CPU_SECONDS: 100,
  SANDBOX_MEMORY_MB: 768,
  SANDBOX_OUTPUT_SHOWN_KB: 8192,
  SANDBOX_OUTPUT_READ_KB: 16384,
  SANDBOX_WARM_POOL: 0,
});
const unavailable = await sandboxSkipReason();
const missing = existsSync(join(TEST_DIR, "test_exceptions.py"))
  ? null
  : `${TEST_DIR} is missing (Debian's libpython3.11-testsuite; scripts/setup.sh --tests installs it)`;
const skip = unavailable ?? missing;
if (skip) console.warn(`SKIPPED the CPython test-suite comparison: ${skip}`);

const dir = await mkdtemp(join(tmpdir(), "tutor-cpython-"));
const figures: { module: string; tests: number; identical: number; flaky: string[] }[] = [];
afterAll(async () => {
  await Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 2000).unref())]);
  await rm(dir, { recursive: true, force: true });
  if (figures.length === 0) return;
  const tests = figures.reduce((n, f) => n + f.tests, 0);
  const identical = figures.reduce((n, f) => n + f.identical, 0);
  const same = figures.filter((f) => f.identical === f.tests).length;
  console.log(
    `CPython test modules, traced in the sandbox vs plain python3.11: ${same}/${figures.length} modules and ` +
      `${identical}/${tests} tests identical\n${figures
        .map(
          (f) =>
            `  ${f.module}: ${f.identical}/${f.tests}${f.flaky.length ? ` (flaky under plain Python: ${f.flaky.join(", ")})` : ""}`,
        )
        .join("\n")}`,
  );
});

/** "name (module.Class.name)" -> "module.Class.name"; a doctest's "name (module.__test__)" -> "module.__test__.name". */
const testId = (name: string, where: string): string =>
  where.endsWith(`.${name}`) ? where : `${where}.${name}`;

/** unittest's verbose report, parsed: test id -> outcome ("ok", "skipped", "FAIL [params]"...). */
function outcomes(report: string): Map<string, string> {
  const result = new Map<string, string>();
  const starts = [...report.matchAll(/^(\w+) \(([\w.]+)\)/gm)];
  for (const [n, m] of starts.entries()) {
    const id = testId(m[1] ?? "", m[2] ?? "");
    const chunk = report.slice(m.index, starts[n + 1]?.index ?? report.length);
    const status = /\.\.\. (ok|skipped|expected failure|unexpected success|FAIL|ERROR)/.exec(chunk)?.[1];
    result.set(id, status ?? "no status");
  }
  // The FAIL/ERROR sections are the reliable part (a test's own output can break its verbose line);
  // subtests appear once per failing parameter set.
  const sections = new Map<string, string[]>();
  for (const m of report.matchAll(/^(FAIL|ERROR): (\w+) \(([\w.]+)\)(.*)$/gm)) {
    const id = testId(m[2] ?? "", m[3] ?? "");
    sections.set(id, [...(sections.get(id) ?? []), `${m[1]}${m[4] ?? ""}`]);
  }
  for (const [id, labels] of sections) result.set(id, labels.sort().join(" | "));
  return result;
}

async function plainRun(source: string, module: string): Promise<Map<string, string>> {
  const work = await mkdtemp(join(dir, `${module}-`));
  await writeFile(join(work, "main.py"), source);
  const r = await execa(config.PYTHON, ["-I", "-S", "main.py"], {
    cwd: work,
    env: { LANG: "C.UTF-8", HOME: work },
    extendEnv: false,
    reject: false,
  });
  return outcomes(r.stderr);
}

describe.skipIf(skip !== null)(
  `CPython's test modules give the same per-test outcomes traced in the sandbox${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    for (const module of MODULES) {
      it(module, { timeout: 600_000 }, async () => {
        const source = (await readFile(join(TEST_DIR, `${module}.py`), "utf8")).replace(
          /^(\s*)unittest\.main\(\)\s*$/m,
          "$1unittest.main(verbosity=2)",
        );
        expect(source).toContain("unittest.main(verbosity=2)");
        const plain = await plainRun(source, module);
        expect(plain.size, `${module} ran no tests under plain Python`).toBeGreaterThan(0);

        const run = await sandbox.run({ code: source });
        expect(["ok", "exit"], `${module} in the sandbox: ${run.status} ${run.reason ?? ""}`).toContain(
          run.status,
        );
        expect(run.truncated).toBe(false);
        // really traced (the tracer falls back to running untraced if it cannot instrument a program)
        expect(run.tries.length, `${module}: no try statement reported`).toBeGreaterThan(0);
        const traced = outcomes(run.stderr);

        const ids = [...new Set([...plain.keys(), ...traced.keys()])]
          .filter((id) => !OUT_OF_SCOPE.has(id))
          .sort();
        let differing = ids.filter((id) => plain.get(id) !== traced.get(id));
        const flaky: string[] = [];
        if (differing.length > 0) {
          // a test that disagrees with itself under plain Python is flaky, not the tracer's doing
          const again = await plainRun(source, module);
          for (const id of differing) if (again.get(id) !== plain.get(id)) flaky.push(id);
          differing = differing.filter((id) => !flaky.includes(id));
        }
        figures.push({
          module,
          tests: ids.length,
          identical: ids.length - differing.length - flaky.length,
          flaky,
        });
        expect(
          differing.map(
            (id) =>
              `${id}: plain ${plain.get(id) ?? "did not run"}, traced ${traced.get(id) ?? "did not run"}`,
          ),
        ).toEqual([]);
      });
    }
  },
);

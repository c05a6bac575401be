// A program's source is read the way `python3 main.py` reads main.py (PEP 263): a file's bytes reach Python
// as they are, a coding declaration is honoured, and bytes Python cannot read are the SyntaxError Python
// prints. The expected text comes from python3.11 itself, run on these fixed test files (never member code).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCoreConfig } from "../../src/config.js";
import { createRunner } from "../../src/runs/index.js";
import { INNER_SCRATCH_DIR } from "../../src/sandbox/paths.js";
import { codeText } from "../../src/sandbox/types.js";
import { sandboxSkipReason } from "../sandboxGate.js";

const skip = await sandboxSkipReason();
const config = { ...loadCoreConfig(), SANDBOX_WARM_POOL: 1 };
const runner = createRunner(config);
const dir = mkdtempSync(join(tmpdir(), "tutor-pep263-"));
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

/** What `python3.11 -I -S main.py` prints on stderr for this test file, as if main.py were in the sandbox's dir. */
function plainPythonStderr(source: Buffer): string {
  const file = join(dir, "main.py");
  writeFileSync(file, source);
  const r = spawnSync(config.PYTHON, ["-I", "-S", "main.py"], { cwd: dir, encoding: "utf8" });
  return r.stderr.replaceAll(dir, INNER_SCRATCH_DIR);
}

const LATIN1 = bytes("# -*- coding: latin-1 -*-\n", 'word = "caf', [0xe9], '"\nprint(word, len(word))\n');
const NO_COOKIE = bytes("print('before')\n", 'word = "caf', [0xe9], '"\n');

describe("codeText (what people and the explainer read)", () => {
  it("decodes a file's bytes by its declaration, UTF-8 by default, and leaves text as it is", () => {
    expect(codeText(LATIN1)).toContain('word = "café"');
    expect(codeText(Buffer.from("print('é')\n", "utf8"))).toBe("print('é')\n");
    expect(codeText(bytes([0xef, 0xbb, 0xbf], "x = 1\n"))).toBe("x = 1\n");
    expect(codeText(NO_COOKIE)).toContain('word = "caf\ufffd"');
    expect(codeText("print('é')")).toBe("print('é')");
  });
});

describe.skipIf(skip !== null)(
  `source encodings, as python3 main.py reads them${skip ? ` (skipped: ${skip})` : ""}`,
  () => {
    it("runs a file that declares latin-1", async () => {
      const r = await runner.run({ code: LATIN1 });
      expect(r).toMatchObject({ status: "ok", stdout: "café 4\n", stderr: "" });
      expect(r.explanation).not.toBe("");
    });

    it("invalid UTF-8 without a declaration is the SyntaxError Python prints, naming the byte and the line", async () => {
      const r = await runner.run({ code: NO_COOKIE });
      expect(r.status).toBe("exception");
      expect(r.exception).toMatchObject({ type: "SyntaxError", line: null });
      expect(r.exception?.message).toMatch(
        /^Non-UTF-8 code starting with '\\xe9' in file .*main\.py on line 2/,
      );
      expect(r.stdout).toBe(""); // Python reads the whole file before running any of it
      expect(r.stderr).toBe(plainPythonStderr(NO_COOKIE));
      expect(r.explanation).toMatch(/could not read it \(`SyntaxError`\)/);
    });

    it("a bad byte in a comment is just as unreadable without a declaration", async () => {
      const source = bytes("x = 1\n# caf", [0xe9], "\nprint(x)\n");
      const r = await runner.run({ code: source });
      expect(r.status).toBe("exception");
      expect(r.stderr).toBe(plainPythonStderr(source));
    });

    it("an unknown or unfitting declaration is Python's 'encoding problem'", async () => {
      for (const source of [
        bytes("# -*- coding: klingon -*-\nprint(1)\n"),
        bytes("# coding: cp1252\nprint('", [0x81], "')\n"),
        bytes([0xef, 0xbb, 0xbf], "# coding: latin-1\nprint(1)\n"),
      ]) {
        const r = await runner.run({ code: source });
        expect(r.status).toBe("exception");
        expect(r.exception?.type).toBe("SyntaxError");
        expect(r.stderr).toBe(plainPythonStderr(source));
      }
    });

    it("declared UTF-8 (a cookie or a BOM) is read as Python reads it: a bad byte in a comment runs", async () => {
      const commented = bytes("# coding: utf-8\n# caf", [0xe9], "\nprint('ran')\n");
      expect(await runner.run({ code: commented })).toMatchObject({ status: "ok", stdout: "ran\n" });
      const bom = bytes([0xef, 0xbb, 0xbf], "print('caf", [0xc3, 0xa9], "')\n");
      expect(await runner.run({ code: bom })).toMatchObject({ status: "ok", stdout: "café\n" });
      const inString = bytes("# coding: utf-8\nprint('caf", [0xe9], "')\n");
      const r = await runner.run({ code: inString });
      expect(r.exception?.type).toBe("SyntaxError");
      expect(r.stderr.trim().split("\n").at(-1)).toBe(plainPythonStderr(inString).trim().split("\n").at(-1));
    });

    it("text (the /run modal, a code block) still runs as UTF-8", async () => {
      const r = await runner.run({ code: 'print("café", len("café"))\n' });
      expect(r).toMatchObject({ status: "ok", stdout: "café 4\n" });
    });

    it("a traceback shows the program's own lines, decoded as declared", async () => {
      const source = bytes("# coding: latin-1\n", 'raise ValueError("caf', [0xe9], '")\n');
      const r = await runner.run({ code: source });
      expect(r.status).toBe("exception");
      expect(r.stderr).toContain('raise ValueError("café")');
      expect(r.stderr.trim().split("\n").at(-1)).toBe("ValueError: café");
    });

    it("a NUL byte in UTF-8: as python3.11 reads main.py, the line ends at it and the next continues it", async () => {
      const sources = [
        bytes('print("a")\n', [0], '\nprint("b")\n'), // runs: the NUL line is empty and joins the next
        bytes('print("a")', [0], 'junk ((\nprint("b")\n'), // print("a")print("b"): a SyntaxError
        bytes('x = "ab', [0], 'cd"\nprint(len(x))\n'), // an unterminated string on line 1
        bytes('print("a")\n', [0], "\n1/0\n"), // the error is on line 2, as Python counts
        bytes("# -*- coding: utf-8 -*-\nprint('caf\u00c3\u00a9')", [0], "\n"), // declared UTF-8: the same rule
      ];
      for (const source of sources) {
        const r = await runner.run({ code: source });
        const file = join(dir, "main.py");
        writeFileSync(file, source);
        const plain = spawnSync(config.PYTHON, ["-I", "-S", "main.py"], { cwd: dir, encoding: "utf8" });
        expect({ stdout: r.stdout, stderr: r.stderr, code: r.exitCode }).toEqual({
          stdout: plain.stdout,
          // Tracebacks name the program "main.py", not its full path (by design: see sandbox/entry.py).
          stderr: plain.stderr.replaceAll(`File "${dir}/main.py"`, 'File "main.py"'),
          code: plain.status,
        });
      }
    });
  },
);

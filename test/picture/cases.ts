// Reports built by hand for the picture's unit tests (the agreement test runs real programs).
import type { FlowReport, TryRun } from "../../src/picture/types.js";
import type { OutputPiece } from "../../src/sandbox/types.js";

export function tryRun(parts: Partial<TryRun> & { line: number }): TryRun {
  return {
    body: "completed",
    raised: null,
    handler: null,
    else: false,
    finally: false,
    outcome: "completed",
    exception: null,
    raisedLine: null,
    pending: null,
    returnValue: null,
    ...parts,
  };
}

export function report(parts: Partial<FlowReport>): FlowReport {
  return { status: "ok", exitCode: 0, exception: null, tries: [], withs: [], output: [], ...parts };
}

export const printed = (text: string, line: number, clause: OutputPiece["clause"] = null): OutputPiece => ({
  text: `${text}\n`,
  stream: "stdout",
  line,
  clause,
});

export const lines = (...l: string[]): string => `${l.join("\n")}\n`;

/** A loop whose try runs `n` times and raises on run `bad`. */
export function loopCase(n: number, bad: number): { source: string; report: FlowReport } {
  const source = lines(
    `for i in range(1, ${n + 1}):`,
    "    try:",
    `        if i == ${bad}:`,
    '            raise ValueError(f"bad item {i}")',
    '        print("item", i)',
    "    except ValueError as e:",
    '        print("skipped:", e)',
    "    finally:",
    "        pass",
  );
  const tries: TryRun[] = [];
  const output: OutputPiece[] = [];
  for (let i = 1; i <= n; i++) {
    if (i === bad) {
      tries.push(
        tryRun({
          line: 2,
          body: "raised",
          raised: "ValueError",
          raisedLine: 4,
          handler: 6,
          finally: true,
          outcome: "caught",
        }),
      );
      output.push(printed(`skipped: bad item ${i}`, 7, "except"));
    } else {
      tries.push(tryRun({ line: 2, finally: true }));
      output.push(printed(`item ${i}`, 5, "try"));
    }
  }
  return { source, report: report({ tries, output }) };
}

/**
 * The bench's program: 40 lines, three try executions (a caught error, a return through finally, a
 * KeyError from a called function caught by the outer handler), and a few printed lines.
 */
export function fortyLineCase(): { source: string; report: FlowReport } {
  const source = lines(
    "import json",
    "",
    "def load(text):",
    '    """Parse a settings text; a bad one gives the defaults."""',
    "    try:",
    "        data = json.loads(text)",
    '        print("loaded", len(data), "keys")',
    "    except json.JSONDecodeError as e:",
    '        print("bad settings:", e.msg)',
    "        data = {}",
    "    return data",
    "",
    "def first_port(ports):",
    "    for port in ports:",
    "        try:",
    "            if port > 1024:",
    "                return port",
    "        finally:",
    '            print("checked", port)',
    "    return None",
    "",
    "def connect(settings):",
    '    host = settings.get("host", "localhost")',
    '    port = settings["port"]',
    '    print("connecting to", host, port)',
    "    return host, port",
    "",
    'settings = load("{not json")',
    "port = first_port([8080])",
    "try:",
    "    connect(settings)",
    "except KeyError as e:",
    '    print("missing setting:", e)',
    "else:",
    '    print("connected")',
    "finally:",
    '    print("port was", port)',
    "",
    'print("done")',
    "",
  ).replace(/\n$/, "");
  const tries: TryRun[] = [
    tryRun({
      line: 5,
      body: "raised",
      raised: "JSONDecodeError",
      raisedLine: 6,
      handler: 8,
      outcome: "caught",
    }),
    tryRun({
      line: 15,
      body: "returned",
      finally: true,
      outcome: "returned",
      pending: { kind: "return", value: "8080" },
      returnValue: "8080",
    }),
    tryRun({
      line: 30,
      body: "raised",
      raised: "KeyError",
      raisedLine: 24,
      handler: 32,
      finally: true,
      outcome: "caught",
    }),
  ];
  const output = [
    printed("bad settings: Expecting property name enclosed in double quotes", 9, "except"),
    printed("checked 8080", 19, "finally"),
    printed("missing setting: 'port'", 33, "except"),
    printed("port was 8080", 37, "finally"),
    printed("done", 39),
  ];
  return { source, report: report({ tries, output }) };
}

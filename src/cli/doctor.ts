// `tutor doctor [--json]`: probes every sandbox protection live and prints the isolation tier.
// Exit 0 when public runs are allowed, 1 when not, 2 on a usage error.
import { createSandbox, type DoctorReport } from "../sandbox/index.js";

export async function main(args: string[]): Promise<number> {
  const json = args.includes("--json");
  const unknown = args.filter((a) => a !== "--json");
  if (unknown.length > 0) {
    console.error(`tutor doctor: unknown argument ${unknown[0]}\nusage: tutor doctor [--json]`);
    return 2;
  }
  const sandbox = createSandbox(undefined);
  let report: DoctorReport;
  try {
    report = await sandbox.doctor();
  } finally {
    await sandbox.close();
  }
  if (json) console.log(JSON.stringify(report));
  else console.log(renderDoctor(report));
  return report.publicRuns ? 0 : 1;
}

function renderDoctor(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const mark = (c: DoctorReport["checks"][number]) => (c.ok ? "ok  " : c.inconclusive ? "??  " : "FAIL");
  const lines = report.checks.map((c) => `  ${mark(c)}  ${c.name.padEnd(width)}  ${c.detail}`);
  const verdict =
    report.inconclusive.length > 0
      ? "public runs: REFUSED for now: some checks could not observe in time (?? above, a busy machine); run again when it is quieter"
      : report.publicRuns
        ? "public runs: allowed"
        : "public runs: REFUSED (the bot's /run will say so; fix the failed checks above)";
  return [`sandbox tier ${report.tier}`, ...lines, verdict].join("\n");
}

// The doctor's verdict over a bot's lifetime. The bot connects first and the doctor runs beside it (it
// takes 6-10 s, and Discord fails every interaction until the bot has connected); a run that arrives
// before the first verdict waits for it ("starting up"), then runs or gets the doctor's reason. A verdict
// that could not be proven (a machine too busy to observe) is checked again later, and every tier below
// A is said as a warning with its reason, never silently.
import type { Logger } from "../logger.js";
import type { DoctorReport, RunRequest, RunResult, Sandbox, Tier } from "./types.js";

/** What moderators are told about the runs in their server (`/config show`). */
export interface SandboxStatus {
  /** null until the first verdict. */
  tier: Tier | null;
  publicRuns: boolean;
  /** One line: what the tier means here, and why when it is below A. */
  summary: string;
}

export interface DoctorWatch<R extends RunResult = RunResult> {
  /** The watched sandbox: its runs wait for the first verdict. */
  readonly sandbox: Sandbox<R>;
  status(): SandboxStatus;
  /** Settles with the first verdict (proven, or refused for want of proof). */
  readonly firstVerdict: Promise<DoctorReport>;
  stop(): void;
}

/** Waits before checking an unproven verdict again: 30 s, then longer, up to 10 minutes. */
export const RECHECK_MS = [30_000, 60_000, 120_000, 300_000, 600_000];

export function watchDoctor<R extends RunResult>(
  inner: Sandbox<R>,
  logger?: Logger,
  options: {
    recheckMs?: number[];
    /** Told every verdict, e.g. to derive what a refused sandbox could not while runs were paused. */
    onVerdict?: (report: DoctorReport) => void;
  } = {},
): DoctorWatch<R> {
  const recheckMs = options.recheckMs ?? RECHECK_MS;
  let current: DoctorReport | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let unproven = 0;

  const examine = async (): Promise<DoctorReport> => {
    let report: DoctorReport;
    try {
      report = await inner.doctor();
    } catch (err) {
      // The doctor itself could not run (its host died): no proof, so the same path as inconclusive.
      report = {
        tier: "D",
        publicRuns: false,
        checks: [{ name: "sandbox starts", ok: false, inconclusive: true, detail: (err as Error).message }],
        inconclusive: ["sandbox starts"],
      };
    }
    current = report;
    // Closed meanwhile: the probes were cut short by the shutdown, which proves nothing worth saying.
    if (stopped) return report;
    say(logger, report);
    options.onVerdict?.(report);
    if (report.inconclusive.length > 0 && !stopped) {
      const wait = recheckMs[Math.min(unproven++, recheckMs.length - 1)] ?? 60_000;
      logger?.warn({ inSeconds: wait / 1000 }, "sandbox doctor: checking again later");
      timer = setTimeout(() => void examine(), wait);
      timer.unref();
    } else if (report.inconclusive.length === 0) {
      unproven = 0;
    }
    return report;
  };
  const firstVerdict = examine();

  const sandbox: Sandbox<R> = {
    get limits() {
      return inner.limits;
    },
    async run(request: RunRequest): Promise<R> {
      const { onStartingUp, ...rest } = request;
      if (current === null) {
        onStartingUp?.();
        await firstVerdict;
      }
      return inner.run(rest);
    },
    doctor: (o) => inner.doctor(o),
    availability: () => inner.availability(),
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inner.close();
    },
  };

  return {
    sandbox,
    firstVerdict,
    status: () => statusOf(current),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Pure: the moderators' one line for a verdict. */
export function statusOf(report: DoctorReport | null): SandboxStatus {
  if (!report)
    return { tier: null, publicRuns: false, summary: "starting up: the sandbox self-check is running" };
  const failed = report.checks.filter((c) => !c.ok && !c.inconclusive).map((c) => c.name);
  const why = failed.length > 0 ? ` (failed: ${failed.join(", ")})` : "";
  const unsure =
    report.inconclusive.length > 0
      ? `; the last check could not observe ${report.inconclusive.join(", ")} (a busy machine), so it checks again later`
      : "";
  if (report.inconclusive.length > 0 && !report.keptEarlier)
    return {
      tier: null,
      publicRuns: false,
      summary: `runs paused: isolation not proven yet${unsure}`,
    };
  const meaning: Record<Tier, string> = {
    A: "tier A: every protection checked, with a memory and process limit per run",
    B: "tier B: isolated, but some protections are missing, so runs go one at a time",
    C: "tier C: weaker isolation",
    D: "tier D: runs refused, isolation failed",
  };
  return {
    tier: report.tier,
    publicRuns: report.publicRuns,
    summary: `${meaning[report.tier]}${why}${unsure}`,
  };
}

function say(logger: Logger | undefined, report: DoctorReport): void {
  if (!logger) return;
  const failed = report.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);
  const fields = { tier: report.tier, failed, inconclusive: report.inconclusive };
  if (report.inconclusive.length > 0)
    logger.warn(
      fields,
      report.keptEarlier
        ? "sandbox doctor inconclusive (machine busy): keeping the verdict proven earlier"
        : "sandbox doctor inconclusive (machine busy): runs wait until isolation is proven",
    );
  else if (!report.publicRuns)
    logger.error(fields, "sandbox doctor: public runs REFUSED, run `npx tutor doctor`");
  else if (report.tier !== "A") logger.warn(fields, `sandbox doctor: tier ${report.tier}, not A`);
  else logger.info({ tier: report.tier }, "sandbox doctor: tier A, public runs allowed");
}

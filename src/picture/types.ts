// What the picture is drawn from (a run's clause report and its source) and what drawing gives back.
import type { RunResult, TryEntry, WithEntry } from "../sandbox/types.js";

/** The report's types under the names the picture uses (../sandbox/types.ts documents each field). */
export type TryRun = TryEntry;
export type WithRun = WithEntry;

/**
 * The part of a run the picture needs: what the bot keeps for its "Flow" button and the quiz engine
 * for its questions, so a picture is drawn again from it without running anything.
 */
export type FlowReport = Pick<
  RunResult,
  "status" | "exitCode" | "exception" | "output" | "tries" | "withs" | "capped"
>;

export type ThemeName = "dark" | "light";

export interface PictureOptions {
  theme?: ThemeName;
}

export interface Picture {
  svg: string;
  /** The path in words, for screen readers (Discord's attachment description, at most 1024 characters). */
  alt: string;
  /** Size of the drawing in SVG units (the PNG has 1.25 to 2 pixels per unit: ./raster.ts). */
  width: number;
  height: number;
}

/** Only the fields of a run the picture reads: what to store to draw it again later. */
export function flowReportOf(run: FlowReport): FlowReport {
  const r: FlowReport = {
    status: run.status,
    exitCode: run.exitCode,
    exception: run.exception,
    tries: run.tries,
    output: run.output.filter((p) => p.line !== null),
  };
  if (run.withs) r.withs = run.withs;
  if (run.capped) r.capped = true;
  return r;
}

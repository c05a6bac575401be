// The command line that starts one sandbox: already as the slot's uid (the spawn drops it), join the
// run's cgroups, then bubblewrap with every namespace unshared around `python3.11 -I -S /sandbox/entry.pyc`.
import type { SandboxLimits } from "./limits.js";
import { BWRAP, INNER_SANDBOX_DIR, INNER_SCRATCH_DIR, SH } from "./paths.js";
import { ENTRY_BYTECODE } from "./prepared.js";

/** fd numbers in the sandbox (see sandbox/entry.py). */
export const REPORT_FD = 3;
export const SECCOMP_FD = 4;

export interface SandboxCommandOptions {
  python: string;
  /** Host dir holding entry.py and tracer.py (with bytecode), mounted read-only at /sandbox. */
  sandboxDir: string;
  limits: SandboxLimits;
  /** The slot's unprivileged uid; -1 when the driver is not root and so cannot switch. */
  uid: number;
  /** cgroup `tasks` files to join before anything runs (writable by `uid`); empty without per-run cgroups (tier B). */
  cgroupJoinFiles: string[];
}

export interface SandboxCommand {
  file: string;
  args: string[];
  /**
   * The uid and gid to spawn as (spawn's uid/gid options: the child clears its supplementary groups,
   * sets the gid, then the uid, before exec, as `setpriv --reuid --regid --clear-groups` would, without
   * exec-ing one more program). Absent when the driver is not root.
   */
  uid?: number;
  gid?: number;
}

// Writes "0" (itself; it has one thread) into each cgroup tasks file given before "--", then execs the
// rest: the tree is inside the run's cgroups before bwrap forks anything. Runs as the slot's uid, which
// owns only these two files of the run's own cgroups (cgroup.ts): it can join them but never leave them.
const JOIN_CGROUPS =
  'for f; do [ "$f" = -- ] && break; echo 0 > "$f" || exit 125; shift; done; shift; exec "$@"';

export function sandboxCommand(opts: SandboxCommandOptions): SandboxCommand {
  const { limits, uid } = opts;
  const size = String(limits.filesBytes);
  const bwrap = [
    BWRAP,
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--clearenv",
    "--setenv",
    "PATH",
    "/usr/bin:/bin",
    "--setenv",
    "HOME",
    INNER_SCRATCH_DIR,
    "--setenv",
    "LANG",
    "C.UTF-8",
    "--hostname",
    "sandbox",
    // A read-only root of what python3.11 needs, nothing of /etc, /home, /root, /work or /proc of the host.
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--symlink",
    "usr/bin",
    "/bin",
    "--ro-bind",
    "/etc/ld.so.cache",
    "/etc/ld.so.cache",
    "--ro-bind",
    opts.sandboxDir,
    INNER_SANDBOX_DIR,
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    // Writable places, each a fresh size-capped tmpfs: nothing persists to the next run.
    "--size",
    size,
    "--tmpfs",
    "/dev/shm",
    "--size",
    size,
    "--tmpfs",
    "/tmp",
    "--size",
    size,
    "--tmpfs",
    INNER_SCRATCH_DIR,
    "--remount-ro",
    "/dev",
    "--remount-ro",
    "/",
    "--chdir",
    INNER_SCRATCH_DIR,
    "--seccomp",
    String(SECCOMP_FD),
    "--",
    opts.python,
    "-I",
    "-S",
    `${INNER_SANDBOX_DIR}/${ENTRY_BYTECODE}`,
    ...entryLimitArgs(limits, opts.cgroupJoinFiles.length > 0),
  ];
  const ids = uid < 0 ? {} : { uid, gid: uid };
  // Without cgroups to join, no shell hop: bwrap directly.
  if (opts.cgroupJoinFiles.length === 0) return { file: BWRAP, args: bwrap.slice(1), ...ids };
  return { file: SH, args: ["-c", JOIN_CGROUPS, "sh", ...opts.cgroupJoinFiles, "--", ...bwrap], ...ids };
}

function entryLimitArgs(limits: SandboxLimits, hasCgroup: boolean): string[] {
  const args = [
    "--cpu",
    String(limits.cpuSeconds),
    "--fsize",
    String(limits.filesBytes),
    "--nofile",
    String(limits.openFiles),
  ];
  if (!hasCgroup) {
    // Tier B: no cgroup, so bound processes per uid (one uid per slot) and the address space.
    args.push(
      "--nproc",
      String(limits.processes),
      "--as",
      String(limits.memoryBytes * 2 + 512 * 1024 * 1024),
    );
  }
  return args;
}

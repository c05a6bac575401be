// The limits of one run, derived once from the SANDBOX_* settings (src/config.ts is their only home).
import type { CoreConfig } from "../config.js";

export interface SandboxLimits {
  wallMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  /** Processes and threads at once (a pids cgroup counts both). */
  processes: number;
  /** Largest file, and size of each scratch tmpfs (cwd, /tmp, /dev/shm). */
  filesBytes: number;
  /** Bytes of each stream shown to the member. */
  outputShownBytes: number;
  /** Bytes read (stdout + stderr) before the run is stopped as an output flood. */
  outputReadBytes: number;
  openFiles: number;
}

const MiB = 1024 * 1024;

export function limitsFromConfig(config: CoreConfig): SandboxLimits {
  return {
    wallMs: config.SANDBOX_WALL_MS,
    cpuSeconds: config.SANDBOX_CPU_SECONDS,
    memoryBytes: config.SANDBOX_MEMORY_MB * MiB,
    processes: config.SANDBOX_PROCESSES,
    filesBytes: config.SANDBOX_FILES_MB * MiB,
    outputShownBytes: config.SANDBOX_OUTPUT_SHOWN_KB * 1024,
    outputReadBytes: config.SANDBOX_OUTPUT_READ_KB * 1024,
    openFiles: 256,
  };
}

/** "128 MiB", "16 KiB": sizes in the words a member reads. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

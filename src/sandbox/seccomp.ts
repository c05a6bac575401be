// The seccomp filter, compiled once per interpreter by sandbox/seccomp_policy.py (python3-seccomp).
import { execa } from "execa";
import { HOST_SECCOMP_POLICY } from "./paths.js";

const cache = new Map<string, Promise<Buffer>>();

/** Classic BPF bytes for `bwrap --seccomp FD`. Rejects with a line saying what to install. */
export function seccompFilter(python: string): Promise<Buffer> {
  let filter = cache.get(python);
  if (!filter) {
    filter = build(python);
    cache.set(python, filter);
    filter.catch(() => cache.delete(python));
  }
  return filter;
}

async function build(python: string): Promise<Buffer> {
  // Our own trusted script, run on the host: `-I` keeps the bot's environment out of it.
  const result = await execa(python, ["-I", HOST_SECCOMP_POLICY], {
    encoding: "buffer",
    reject: false,
    env: {},
    extendEnv: false,
  });
  const bpf = Buffer.from(result.stdout);
  if (result.exitCode !== 0 || bpf.length === 0 || bpf.length % 8 !== 0) {
    const why = Buffer.from(result.stderr).toString("utf8").trim().split("\n").pop() ?? "";
    throw new Error(
      `could not build the seccomp filter with ${python} (${why || `exit ${result.exitCode}`}); install python3-seccomp`,
    );
  }
  return bpf;
}

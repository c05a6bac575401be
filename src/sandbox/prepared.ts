// The Python side as the sandbox sees it: a copy of sandbox/*.py with compiled bytecode next to it.
// The sandbox mounts it read-only, so Python could never cache the tracer's bytecode itself and would
// recompile it on every cold start. Content-addressed, so an edited tracer gets a fresh copy.
import { createHash } from "node:crypto";
import { cp, mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { HOST_SANDBOX_DIR, INNER_SANDBOX_DIR } from "./paths.js";

// As root: a root-owned dir outside the project, so the sandbox uid needs no access to the project's
// path. Otherwise the project's (git-ignored) data dir.
const CACHE_ROOT =
  process.getuid?.() === 0
    ? "/var/cache/tutor/sandbox-py"
    : join(HOST_SANDBOX_DIR, "..", "data", "sandbox-py");

/** The compiled entry point inside the prepared dir (see command.ts). */
export const ENTRY_BYTECODE = "entry.pyc";

// Compiled as if they lived at ${INNER_SANDBOX_DIR} (ddir, dfile): code objects carry no host path into a run.
const COMPILE = `
import compileall, py_compile, sys
dir = sys.argv[1]
if not compileall.compile_dir(dir, ddir="${INNER_SANDBOX_DIR}", quiet=1):
    sys.exit("compileall failed")
py_compile.compile(dir + "/entry.py", cfile=dir + "/${ENTRY_BYTECODE}", dfile="${INNER_SANDBOX_DIR}/entry.py", doraise=True)
`;

export async function preparedSandboxDir(python: string): Promise<string> {
  const files = (await readdir(HOST_SANDBOX_DIR)).filter((f) => f.endsWith(".py")).sort();
  // The compile step is part of the content: a changed one must not reuse a dir it did not make.
  const hash = createHash("sha256").update(python).update(COMPILE);
  for (const f of files) hash.update(f).update(await readFile(join(HOST_SANDBOX_DIR, f)));
  const dir = join(CACHE_ROOT, hash.digest("hex").slice(0, 16));
  if (await exists(dir)) return dir;

  await mkdir(CACHE_ROOT, { recursive: true, mode: 0o755 });
  // Drop copies of older versions after a day (a running bot may still start sandboxes from one).
  for (const old of await readdir(CACHE_ROOT)) {
    const path = join(CACHE_ROOT, old);
    const info = await stat(path).catch(() => null);
    if (/^[0-9a-f]{16}$/.test(old) && info && Date.now() - info.mtimeMs > 86_400_000) {
      await rm(path, { recursive: true, force: true });
    }
  }
  const staging = `${dir}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o755 });
  for (const f of files) await cp(join(HOST_SANDBOX_DIR, f), join(staging, f), { preserveTimestamps: true });
  // Our own files, compiled on the host (no member code involved). entry.py also as entry.pyc, which
  // the sandbox runs directly: a script given as .py is compiled on every start (~1 ms).
  await execa(python, ["-I", "-c", COMPILE, staging], { env: {}, extendEnv: false });
  try {
    await rename(staging, dir);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another process won the race: same content
  }
  return dir;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

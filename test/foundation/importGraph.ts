// The project's own import graph, read with TypeScript's pre-processor (type-only imports count too: a
// cycle of types is still a cycle a newcomer has to untangle). Used by layers.test.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const ROOT = resolve(import.meta.dirname, "..", "..");

export interface SourceFile {
  /** Relative to the repository, e.g. "src/bot/start.ts". */
  path: string;
  lines: number;
  /** Project files it imports (relative paths), and the packages it imports by name. */
  imports: string[];
  packages: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

export function readSources(folders: string[]): SourceFile[] {
  return folders
    .flatMap((f) => tsFiles(join(ROOT, f)))
    .map((file) => {
      const text = readFileSync(file, "utf8");
      const names = ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
      return {
        path: relative(ROOT, file),
        lines: text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
        imports: names
          .filter((n) => n.startsWith("."))
          .map((n) => relative(ROOT, resolve(dirname(file), n.replace(/\.js$/, ".ts")))),
        packages: names.filter((n) => !n.startsWith(".") && !n.startsWith("node:")),
      };
    });
}

/** Every cycle's members (strongly connected components of more than one node, or a node importing itself). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      members.push(w);
    } while (w !== v);
    if (members.length > 1 || graph.get(v)?.includes(v)) found.push(members.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

export function fileGraph(files: SourceFile[]): Map<string, string[]> {
  return new Map(files.map((f) => [f.path, f.imports]));
}

/** "src/bot/start.ts" -> "src/bot"; a file directly in src/ is its own module. */
export function moduleOf(path: string): string {
  const parts = path.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : path;
}

/** Module-level graph: which folder of src/ imports which. */
export function moduleGraph(files: SourceFile[]): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const f of files) {
    const from = moduleOf(f.path);
    const deps = graph.get(from) ?? new Set<string>();
    for (const i of f.imports) if (moduleOf(i) !== from) deps.add(moduleOf(i));
    graph.set(from, deps);
  }
  return new Map([...graph].map(([k, v]) => [k, [...v]]));
}

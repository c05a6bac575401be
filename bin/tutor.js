#!/usr/bin/env node
// Loads tsx in-process so `npx tutor ...` runs the TypeScript CLI with no build step.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

register();
const entry = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "cli", "main.ts");
await import(pathToFileURL(entry).href);

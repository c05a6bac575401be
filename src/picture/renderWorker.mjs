// The entry of the picture's worker thread (./offThread.ts). Plain JavaScript, because a worker thread does
// not inherit the TypeScript loader the bot runs under: it registers tsx itself, then loads the worker's code.
import { register } from "tsx/esm/api";

register();
await import("./renderWorkerMain.ts");

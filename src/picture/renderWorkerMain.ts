// The picture's worker thread: draws and rasterises on request, so the bot's event loop never waits for a
// picture (tens of milliseconds of CPU each). Started by ./offThread.ts through ./renderWorker.mjs.
import { parentPort } from "node:worker_threads";
import { renderFlowPng } from "./index.js";
import type { RenderReply, RenderRequest } from "./offThread.js";

parentPort?.on("message", (m: RenderRequest) => {
  let reply: RenderReply;
  try {
    const p = renderFlowPng(m.report, m.source, m.options);
    // A copy of the bytes in a buffer of their own, handed over without another copy.
    const png = new Uint8Array(p.png);
    reply = { id: m.id, png, alt: p.alt, width: p.width, height: p.height };
    parentPort?.postMessage(reply, [png.buffer]);
  } catch (err) {
    reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
    parentPort?.postMessage(reply);
  }
});

// Pictures drawn on a worker thread of their own, one at a time, so a process that answers people (the bot)
// stays free while a picture is drawn. The thread starts with the first picture and again after it dies; a
// picture the thread could not draw is drawn here instead, so no picture is lost to the thread.
import { Worker } from "node:worker_threads";
import { type PngPicture, renderFlowPng } from "./index.js";
import type { FlowReport, PictureOptions } from "./types.js";

export interface RenderRequest {
  id: number;
  report: FlowReport;
  source: string;
  options: PictureOptions;
}

export type RenderReply =
  | { id: number; png: Uint8Array; alt: string; width: number; height: number }
  | { id: number; error: string };

export interface PictureRenderer {
  render(report: FlowReport, source: string, options?: PictureOptions): Promise<PngPicture>;
  /** How many pictures the thread drew, and how many were drawn here instead. */
  readonly drawn: { onThread: number; here: number };
  /** Stops the thread (pictures still waiting are drawn here). */
  close(): Promise<void>;
}

const ENTRY = new URL("./renderWorker.mjs", import.meta.url);

interface Waiting {
  request: RenderRequest;
  resolve: (p: PngPicture) => void;
  reject: (err: unknown) => void;
}

/** `onTrouble`: told when the thread fails (its pictures are then drawn here), e.g. to log it. */
export function pictureRenderer(onTrouble?: (message: string) => void): PictureRenderer {
  let worker: Worker | null = null;
  let nextId = 0;
  let closed = false;
  const drawn = { onThread: 0, here: 0 };
  const waiting = new Map<number, Waiting>();

  /** Draws here what the thread could not (it died, could not start, or failed on this picture). */
  const drawHere = (w: Waiting): void => {
    try {
      const { report, source, options } = w.request;
      w.resolve(renderFlowPng(report, source, options));
      drawn.here++;
    } catch (err) {
      w.reject(err);
    }
  };

  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(ENTRY);
    w.on("message", (m: RenderReply) => {
      const entry = waiting.get(m.id);
      if (!entry) return;
      waiting.delete(m.id);
      if (waiting.size === 0) w.unref(); // an idle picture thread never keeps the process alive
      if ("error" in m) return drawHere(entry);
      drawn.onThread++;
      entry.resolve({
        png: Buffer.from(m.png.buffer, m.png.byteOffset, m.png.byteLength),
        alt: m.alt,
        width: m.width,
        height: m.height,
      });
    });
    w.on("error", (err) => onTrouble?.(`the picture thread failed (${err.message}); drawing here instead`));
    w.on("exit", () => {
      if (worker !== w) return;
      worker = null;
      for (const [id, entry] of waiting) {
        waiting.delete(id);
        drawHere(entry);
      }
    });
    worker = w;
    return w;
  };

  return {
    drawn,
    render(report, source, options = {}) {
      return new Promise((resolve, reject) => {
        const entry: Waiting = { request: { id: nextId++, report, source, options }, resolve, reject };
        if (closed) return drawHere(entry);
        try {
          const w = thread();
          waiting.set(entry.request.id, entry);
          w.ref();
          w.postMessage(entry.request);
        } catch {
          waiting.delete(entry.request.id);
          drawHere(entry);
        }
      });
    },
    async close() {
      closed = true;
      await worker?.terminate();
    },
  };
}

// The playground's page server: the page, its bundled script and uploaded files over HTTP; over one
// WebSocket (/live) per page, the member's actions in and their live view out (each view computed for
// the member that page acts as). Sockets from other sites are refused: no other page can act as a member.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { ConfigError } from "../config.js";
import { INITIAL_DEADLINE_MS, type LocalDiscord } from "../localDiscord/server.js";
import { type ActionContext, runAction } from "./actions.js";
import { pageBundle } from "./bundle.js";
import { pageHtml } from "./page.js";
import { memberView } from "./view.js";

export interface WebServerOptions {
  local: LocalDiscord;
  host: string;
  port: number;
  reset(): Promise<void>;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  member: string | null;
  last: string;
}

/** One action may carry an attached file (up to 8 MiB, base64). */
const MAX_MESSAGE_BYTES = 12 * 1024 * 1024;

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const { local } = o;
  const clients = new Set<Client>();
  let resetting = false;
  const ctx: ActionContext = {
    local,
    closedModals: new Set(),
    async reset() {
      resetting = true;
      push();
      try {
        await o.reset();
        ctx.closedModals.clear();
      } finally {
        resetting = false;
        push();
      }
    },
  };

  // Every change of the local Discord (coalesced) sends each page its member's view, if it changed.
  let scheduled = false;
  const failureTimers = new Map<string, NodeJS.Timeout>();
  function push(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const now = Date.now();
      for (const c of clients) {
        if (!c.member || !local.users.has(c.member)) continue;
        const text = JSON.stringify({
          type: "view",
          view: memberView(local, c.member, { closedModals: ctx.closedModals, resetting, now }),
        });
        if (text !== c.last) c.ws.send(text);
        c.last = text;
      }
      armFailureTimers(now);
    });
  }
  // "The application did not respond" appears 3 s after an unanswered interaction: look again then.
  function armFailureTimers(now: number): void {
    for (const ix of local.interactions.values()) {
      const due = ix.createdAt + INITIAL_DEADLINE_MS + 50 - now;
      if (ix.callbacks.length > 0 || due <= 0 || failureTimers.has(ix.id)) continue;
      const timer = setTimeout(() => {
        failureTimers.delete(ix.id);
        push();
      }, due);
      timer.unref();
      failureTimers.set(ix.id, timer);
    }
  }
  local.on("change", push);

  const http = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        res.writeHead(500, { "content-type": "text/plain" }).end("The playground hit an error.");
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://page").pathname;
    if (req.method === "GET" && path === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(pageHtml());
    } else if (req.method === "GET" && (path === "/app.js" || path === "/app.css")) {
      const bundle = await pageBundle();
      const js = path === "/app.js";
      res.writeHead(200, {
        "content-type": js ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
      });
      res.end(js ? bundle.js : bundle.css);
    } else if (req.method === "GET" && path.startsWith("/attachments/")) {
      const att = local.attachmentData(path.split("/")[2] ?? "");
      if (!att) res.writeHead(404, { "content-type": "text/plain" }).end("No such file.");
      else {
        const inline = att.content_type.startsWith("image/") || att.content_type.startsWith("text/");
        res.writeHead(200, {
          "content-type": att.content_type,
          "content-disposition": `${inline ? "inline" : "attachment"}; filename="${att.filename.replace(/["\\]/g, "_")}"`,
          "x-content-type-options": "nosniff",
          // A member's upload (an SVG, say) must not run script on the page's origin, which can act as members.
          "content-security-policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
        });
        res.end(att.data);
      }
    } else res.writeHead(404, { "content-type": "text/plain" }).end("Not found.");
  }

  await new Promise<void>((resolve, reject) => {
    http.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE" || err.code === "EADDRNOTAVAIL" || err.code === "EACCES"
          ? new ConfigError(
              `Setting PLAYGROUND_PORT/PLAYGROUND_HOST: cannot listen on ${o.host}:${o.port} (${err.code}); pick another port (0 picks a free one).`,
            )
          : err,
      ),
    );
    http.listen(o.port, o.host, () => resolve());
  });
  // The live socket is attached once listening: a failed listen would otherwise surface through it, unhandled.
  const wss = new WebSocketServer({ server: http, path: "/live", maxPayload: MAX_MESSAGE_BYTES });
  wss.on("connection", (ws, req) => {
    if (!sameOrigin(req)) {
      ws.close(4003, "cross-site");
      return;
    }
    const client: Client = { ws, member: null, last: "" };
    clients.add(client);
    ws.on("message", (raw) => {
      let msg: { as?: unknown; act?: unknown; id?: unknown };
      try {
        msg = JSON.parse(String(raw)) as typeof msg;
      } catch {
        return; // not from our page: it only sends JSON
      }
      if (typeof msg.as === "string" && local.users.has(msg.as)) {
        client.member = msg.as;
        client.last = "";
        push();
      }
      // An action, answered on the same socket with its id (its effect arrives as the next view).
      if (msg.act !== undefined)
        void runAction(ctx, msg.act).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: "result", id: msg.id, result }));
        });
    });
    ws.on("close", () => clients.delete(client));
  });

  const { port } = http.address() as AddressInfo;
  const shownHost = o.host.includes(":") ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}`,
    async close() {
      local.off("change", push);
      for (const timer of failureTimers.values()) clearTimeout(timer);
      for (const c of clients) c.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** A browser sends Origin on cross-site requests; only the page's own origin may act. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser's cross-site request (curl, a test)
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

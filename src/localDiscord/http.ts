// One REST request: its body read (JSON or multipart with files), recorded, authorised, validated (schema
// and limits), then handed to its route. Uploaded files are served back at /attachments/{id}/{name}.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleRoute, matchRoute } from "./routes.js";
import type { DiscordState } from "./state.js";
import { ANSWERED, type Fail, type RecordedRequest, type Reply, type UploadedFile } from "./types.js";
import { extraLimits, type SchemaCheck } from "./validation.js";

export async function handleHttp(
  s: DiscordState,
  schema: SchemaCheck,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const arrivedHr = performance.now();
  const url = new URL(req.url ?? "/", s.url);
  const contentType = req.headers["content-type"] ?? "";
  const { body, files } = await readBody(req, contentType);
  // Discord's routes are matched on the decoded path: discord.js sends @original as %40original.
  const path = decodeURIComponent(url.pathname)
    .replace(/^\/api/, "")
    .replace(/^\/v\d+/, "");
  const record: RecordedRequest = {
    at: Date.now(),
    method: req.method ?? "GET",
    path,
    contentType,
    body,
    status: 0,
    problems: [],
  };
  s.requests.push(record);
  const reply: Reply = (status, json) => {
    record.status = status;
    if (json === undefined) res.writeHead(status).end();
    else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
    s.emit("change");
    return ANSWERED;
  };
  const fail: Fail = (status, code, message) => {
    record.problems.push(message);
    s.violations.push(`${record.method} ${path}: ${message}`);
    return reply(status, { code, message });
  };
  const upload = /^\/attachments\/(\d+)\//.exec(path);
  if (upload && record.method === "GET") {
    const att = s.attachmentData(upload[1] ?? "");
    record.status = att ? 200 : 404;
    res
      .writeHead(record.status, { "content-type": att?.content_type ?? "text/plain" })
      .end(att?.data ?? "not found");
    return;
  }
  const route = matchRoute(record.method, path);
  if (!route) {
    fail(404, 0, "404: Not Found (route unknown to the stand-in)");
    return;
  }
  if (route.needsBotAuth && req.headers.authorization !== `Bot ${s.token}`) {
    fail(401, 0, "401: Unauthorized");
    return;
  }
  if (route.specPath && body !== null && route.method !== "get" && route.method !== "delete") {
    const schemaProblems = schema.validate(route.specPath, route.method, body);
    const limitKind =
      route.name === "callback" && (body as { type?: number }).type === 9 ? "modal" : "message";
    const data = route.name === "callback" ? (body as { data?: unknown }).data : body;
    const problems = [...schemaProblems, ...extraLimits(data, limitKind)];
    if (problems.length > 0) {
      fail(400, 50035, `Invalid Form Body: ${problems.join("; ")}`);
      return;
    }
  }
  handleRoute(s, route, { params: route.params, body, files, url, reply, fail, arrivedHr });
}

async function readBody(
  req: IncomingMessage,
  contentType: string,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const files: UploadedFile[] = [];
  if (!contentType.startsWith("multipart/form-data"))
    return { body: raw.length > 0 ? JSON.parse(raw.toString("utf8")) : null, files };
  let body: unknown = null;
  const form = await new Request("http://x/", {
    method: "POST",
    headers: { "content-type": contentType },
    body: raw,
  }).formData();
  for (const [name, value] of form.entries()) {
    if (name === "payload_json") body = JSON.parse(String(value));
    else if (typeof value !== "string")
      files.push({
        name,
        filename: value.name,
        data: Buffer.from(await value.arrayBuffer()),
        type: value.type,
      });
  }
  return { body, files };
}

// Checks each request body the bot sends the way Discord would: the route's schema from Discord's own
// OpenAPI description, plus the limits that description does not express.
import { existsSync, readFileSync } from "node:fs";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

export const SPEC_PATH = process.env.DISCORD_OPENAPI_PATH ?? "/work/shared/discord-api-spec/openapi.json";

type Method = "get" | "post" | "put" | "patch" | "delete";

interface Spec {
  paths: Record<
    string,
    Partial<Record<Method, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>
  >;
  components: unknown;
}

/** Validates bodies against openapi.json; `available` is false (and says why once) when the file is absent. */
export class SchemaValidator {
  readonly available: boolean;
  readonly skipReason: string | null = null;
  private spec: Spec | null = null;
  private ajv: Ajv2020 | null = null;
  private cache = new Map<string, ValidateFunction | null>();

  constructor(path: string = SPEC_PATH) {
    this.available = existsSync(path);
    if (!this.available) {
      this.skipReason = `Discord OpenAPI file not found at ${path}: request bodies are NOT schema-validated (only the extra limits are checked).`;
      return;
    }
    this.spec = JSON.parse(readFileSync(path, "utf8")) as Spec;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    // ajv-formats is CommonJS: its default export sits one level down under NodeNext.
    const addFormats = (addFormatsModule as unknown as { default: (a: Ajv2020) => void }).default;
    addFormats(ajv);
    ajv.addFormat("nonce", true); // a message nonce: a string or an integer, anything the sender picks
    ajv.addFormat("snowflake", /^(0|[1-9][0-9]{0,19})$/);
    ajv.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31,
    });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) });
    ajv.addSchema(relink({ $id: "discord", components: this.spec.components }));
    this.ajv = ajv;
  }

  /** Errors for one body; [] when valid or when the route has no JSON schema. */
  validate(specPath: string, method: Method, body: unknown): string[] {
    if (!this.spec || !this.ajv) return [];
    const key = `${method} ${specPath}`;
    let fn = this.cache.get(key);
    if (fn === undefined) {
      const schema = this.spec.paths[specPath]?.[method]?.requestBody?.content?.["application/json"]?.schema;
      fn = schema ? this.ajv.compile(relink(schema)) : null;
      this.cache.set(key, fn);
    }
    if (!fn || fn(body)) return [];
    return (fn.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
  }
}

/** Points the spec's local `#/components/...` references at the registered `discord` schema. */
function relink<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"discord#/components/')) as T;
}

interface Component {
  type: number;
  custom_id?: string;
  components?: Component[];
  component?: Component;
  value?: string;
  max_length?: number;
}

/** Limits Discord enforces that the schema leaves out (or states more loosely). */
export function extraLimits(body: unknown, kind: "message" | "modal"): string[] {
  const problems: string[] = [];
  if (!body || typeof body !== "object") return problems;
  const b = body as { content?: unknown; components?: Component[]; embeds?: { description?: string }[] };
  if (typeof b.content === "string" && b.content.length > 2000)
    problems.push(`content is ${b.content.length} characters (max 2000)`);
  const rows = Array.isArray(b.components) ? b.components : [];
  if (kind === "message" && rows.length > 5) problems.push(`${rows.length} action rows (max 5)`);
  const ids = new Set<string>();
  const visit = (c: Component) => {
    if (c.custom_id !== undefined) {
      if (c.custom_id.length > 100) problems.push(`custom_id longer than 100: ${c.custom_id.slice(0, 40)}…`);
      if (ids.has(c.custom_id)) problems.push(`duplicate custom_id ${c.custom_id}`);
      ids.add(c.custom_id);
    }
    if (c.type === 4) {
      if ((c.value?.length ?? 0) > 4000) problems.push("text input value longer than 4000");
      if ((c.max_length ?? 0) > 4000) problems.push("text input max_length above 4000");
    }
    if (c.type === 1 && (c.components?.length ?? 0) > 5) problems.push("more than 5 components in a row");
    for (const child of c.components ?? []) visit(child);
    if (c.component) visit(c.component);
  };
  for (const row of rows) visit(row);
  return problems;
}

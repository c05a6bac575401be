// Checks each request body the bot sends against the route's schema in Discord's own OpenAPI description
// (the local Discord checks the limits that description does not express itself). Test-only: it needs ajv,
// a devDependency, and the spec file, which lives beside the repository, not in it.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { SchemaCheck } from "../../src/localDiscord/server.js";

type Method = Parameters<SchemaCheck["validate"]>[1];

/** `../shared/discord-api-spec/openapi.json` beside the repository, unless DISCORD_OPENAPI_PATH says otherwise. */
export const SPEC_PATH =
  process.env.DISCORD_OPENAPI_PATH ??
  fileURLToPath(new URL("../../../shared/discord-api-spec/openapi.json", import.meta.url));

interface Spec {
  paths: Record<
    string,
    Partial<Record<Method, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>
  >;
  components: unknown;
}

/** Validates bodies against openapi.json; `available` is false (and says why once) when the file is absent. */
export class SchemaValidator implements SchemaCheck {
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

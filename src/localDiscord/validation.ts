// Body validation: the limits Discord enforces on messages and modals that its OpenAPI description leaves
// out (or states more loosely), checked on every body; and the seam for a schema validator on top
// (the tests plug one in that checks each body against Discord's OpenAPI description).
import type { Method } from "./routes.js";

/** Checks a request body against the route's schema; `skipReason` says why it cannot (null when it can). */
export interface SchemaCheck {
  readonly available: boolean;
  readonly skipReason: string | null;
  /** Errors for one body; [] when valid or when the route has no schema. */
  validate(specPath: string, method: Method, body: unknown): string[];
}

/** No schema: only the limits below are checked (the playground's default, where no spec file ships). */
export const NO_SCHEMA: SchemaCheck = {
  available: false,
  skipReason: "no OpenAPI schema given: only the limits Discord enforces beyond it are checked",
  validate: () => [],
};

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

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

interface Embed {
  title?: string;
  description?: string;
  footer?: { text?: string };
  author?: { name?: string };
  fields?: { name?: string; value?: string }[];
}

/** The characters Discord counts towards the 6000 of all a message's embeds. */
function embedChars(e: Embed): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + (f.name?.length ?? 0) + (f.value?.length ?? 0), 0);
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text?.length ?? 0) +
    (e.author?.name?.length ?? 0) +
    fields
  );
}

/**
 * Limits Discord enforces that the schema leaves out (or states more loosely). The numbers are written here
 * on purpose, apart from the bot's src/bot/discordLimits.ts: this is Discord's side, an independent check
 * of the bot (as the OpenAPI schema is), so a wrong limit in the bot cannot make its own check agree.
 */
export function extraLimits(body: unknown, kind: "message" | "modal"): string[] {
  const problems: string[] = [];
  if (!body || typeof body !== "object") return problems;
  const b = body as { content?: unknown; components?: Component[]; embeds?: Embed[] };
  if (typeof b.content === "string" && b.content.length > 2000)
    problems.push(`content is ${b.content.length} characters (max 2000)`);
  const embeds = Array.isArray(b.embeds) ? b.embeds : [];
  if (embeds.length > 10) problems.push(`${embeds.length} embeds (max 10)`);
  const embedText = embeds.reduce((n, e) => n + embedChars(e), 0);
  if (embedText > 6000) problems.push(`embeds hold ${embedText} characters (max 6000 in all)`);
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

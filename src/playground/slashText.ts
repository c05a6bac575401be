// Discord's text form of a slash command, `/finally quiz mode:group`, read against the commands the bot
// registered (the playground knows no command but those). Pure: the composer's suggestions and the server's
// parsing both use it, so what the page suggests is what the server accepts.

/** An option as Discord registers it (types: 1 subcommand, 2 group, 3 string, 4 integer, 5 boolean, 7 channel, 10 number, 11 attachment). */
export interface CommandOption {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  options?: CommandOption[];
}

export interface SlashCommand {
  name: string;
  description?: string;
  options?: CommandOption[];
}

/** One line of the suggestion list: "finally quiz" and the options it takes. */
export interface CommandPath {
  path: string;
  description: string;
  options: CommandOption[];
}

export type OptionValue = string | number | boolean | { channel: string };

export type ParsedSlash =
  | {
      ok: true;
      path: string;
      options: Record<string, OptionValue>;
      /** The attachment option the attached file goes to, if the command takes one. */
      attachment: { name: string; required: boolean } | null;
    }
  | { ok: false; error: string };

const SUB = 1;
const GROUP = 2;
const ATTACHMENT = 11;

/** Every invocable path of the commands ("finally quiz", "config run", "run"), in registration order. */
export function commandPaths(commands: SlashCommand[]): CommandPath[] {
  const out: CommandPath[] = [];
  const walk = (prefix: string, description: string, options: CommandOption[] | undefined) => {
    const subs = (options ?? []).filter((o) => o.type === SUB || o.type === GROUP);
    if (subs.length === 0) out.push({ path: prefix, description, options: options ?? [] });
    for (const sub of subs) walk(`${prefix} ${sub.name}`, sub.description ?? "", sub.options);
  };
  for (const c of commands) walk(c.name, c.description ?? "", c.options);
  return out;
}

/**
 * Reads `/path name:value name:value`. A value runs until the next known `name:`, so it may hold spaces.
 * Channels are given as `#name` (or `<#id>`); `channels` maps names to ids.
 */
export function parseSlash(
  text: string,
  commands: SlashCommand[],
  channels: Record<string, string>,
): ParsedSlash {
  const body = text.trim().replace(/^\//, "");
  const paths = commandPaths(commands).sort((a, b) => b.path.length - a.path.length);
  const match = paths.find((p) => body === p.path || body.startsWith(`${p.path} `));
  if (!match) {
    const name = body.split(/\s+/)[0] ?? "";
    const known = commandPaths(commands).filter((p) => p.path.startsWith(`${name} `));
    if (known.length > 0)
      return {
        ok: false,
        error: `/${name} needs one of: ${known.map((p) => p.path.slice(name.length + 1)).join(", ")}`,
      };
    return { ok: false, error: `/${name} is not a command here` };
  }
  const rest = body.slice(match.path.length).trim();
  const names = match.options.map((o) => o.name);
  const raw = splitOptions(rest, names);
  if (typeof raw === "string") return { ok: false, error: raw };
  const options: Record<string, OptionValue> = {};
  let attachment: { name: string; required: boolean } | null = null;
  for (const option of match.options) {
    if (option.type === ATTACHMENT) {
      attachment = { name: option.name, required: option.required === true };
      continue;
    }
    const given = raw[option.name];
    if (given === undefined || given === "") {
      if (option.required) return { ok: false, error: `/${match.path} needs ${option.name}:` };
      continue;
    }
    const value = readValue(option, given, channels);
    if (typeof value === "object" && "error" in value) return { ok: false, error: value.error };
    options[option.name] = value;
  }
  return { ok: true, path: match.path, options, attachment };
}

function splitOptions(rest: string, names: string[]): Record<string, string> | string {
  if (rest === "") return {};
  if (names.length === 0) return `this command takes no options (got "${rest}")`;
  const pattern = new RegExp(`(?:^|\\s)(${names.map(escapeRegExp).join("|")}):`, "g");
  const starts = [...rest.matchAll(pattern)];
  if (starts.length === 0 || ((starts[0]?.index ?? 0) > 0 && rest.slice(0, starts[0]?.index).trim() !== ""))
    return `options are written name:value; this command takes ${names.map((n) => `${n}:`).join(" ")}`;
  const out: Record<string, string> = {};
  starts.forEach((m, i) => {
    const from = (m.index ?? 0) + m[0].length;
    const to = starts[i + 1]?.index ?? rest.length;
    out[m[1] ?? ""] = rest.slice(from, to).trim();
  });
  return out;
}

function readValue(
  option: CommandOption,
  given: string,
  channels: Record<string, string>,
): OptionValue | { error: string } {
  if (option.choices && option.choices.length > 0) {
    const choice = option.choices.find(
      (c) => String(c.value) === given || c.name.toLowerCase() === given.toLowerCase(),
    );
    if (!choice)
      return { error: `${option.name}: must be one of ${option.choices.map((c) => c.value).join(", ")}` };
    return choice.value;
  }
  switch (option.type) {
    case 4:
    case 10: {
      const n = Number(given);
      if (!Number.isFinite(n) || (option.type === 4 && !Number.isInteger(n)))
        return {
          error: `${option.name}: "${given}" is not ${option.type === 4 ? "a whole number" : "a number"}`,
        };
      if (option.min_value !== undefined && n < option.min_value)
        return { error: `${option.name}: at least ${option.min_value}` };
      if (option.max_value !== undefined && n > option.max_value)
        return { error: `${option.name}: at most ${option.max_value}` };
      return n;
    }
    case 5:
      if (!/^(true|false)$/i.test(given)) return { error: `${option.name}: true or false` };
      return given.toLowerCase() === "true";
    case 7: {
      const id = /^<#(\d+)>$/.exec(given)?.[1] ?? channels[given.replace(/^#/, "")];
      if (!id) return { error: `${option.name}: no channel ${given}` };
      return { channel: id };
    }
    default:
      if (option.max_length !== undefined && given.length > option.max_length)
        return { error: `${option.name}: at most ${option.max_length} characters` };
      return given;
  }
}

/** One line of the composer's suggestion list: what choosing it puts in the box, and what it shows. */
export interface Suggestion {
  text: string;
  label: string;
  description: string;
}

/** Suggestions for what is typed: command paths, then options not yet given, then an option's choices. */
export function suggest(text: string, commands: SlashCommand[]): Suggestion[] {
  if (!text.startsWith("/") || text.includes("\n")) return [];
  const typed = text.slice(1);
  const paths = commandPaths(commands);
  const current = paths
    .filter((p) => typed === p.path || typed.startsWith(`${p.path} `))
    .sort((a, b) => b.path.length - a.path.length)[0];
  if (!current)
    return paths
      .filter((p) => p.path.startsWith(typed.trimStart()))
      .slice(0, 25)
      .map((p) => ({ text: `/${p.path} `, label: `/${p.path}`, description: p.description }));
  const rest = typed.slice(current.path.length);
  // Typing a value of an option that has choices: offer them.
  const valueAt = /(?:^|\s)([\w-]+):(\S*)$/.exec(rest);
  const option = valueAt ? current.options.find((o) => o.name === valueAt[1]) : undefined;
  if (valueAt && option?.choices?.length) {
    const before = text.slice(0, text.length - (valueAt[2] ?? "").length);
    return option.choices
      .filter((c) => String(c.value).startsWith(valueAt[2] ?? ""))
      .map((c) => ({ text: `${before}${c.value} `, label: String(c.value), description: c.name }));
  }
  if (valueAt && option) return [];
  const given = new Set([...rest.matchAll(/(?:^|\s)([\w-]+):/g)].map((m) => m[1]));
  const base = text.endsWith(" ") ? text : `${text} `;
  return current.options
    .filter((o) => !given.has(o.name) && o.type !== 11)
    .map((o) => ({
      text: `${base}${o.name}:`,
      label: `${o.name}:`,
      description: `${o.required ? "" : "(optional) "}${o.description ?? ""}`,
    }));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

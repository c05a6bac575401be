// custom_id strings: "kind:arg:arg…", at most 100 characters (Discord's limit), checked where they are made.
export const CUSTOM_ID_MAX = 100;

export function customId(kind: string, ...args: (string | number)[]): string {
  const id = [kind, ...args.map(String)].join(":");
  if (id.length > CUSTOM_ID_MAX)
    throw new Error(`custom_id longer than ${CUSTOM_ID_MAX}: ${id.slice(0, 40)}…`);
  return id;
}

export function parseCustomId(id: string): { kind: string; args: string[] } {
  const [kind = "", ...args] = id.split(":");
  return { kind, args };
}

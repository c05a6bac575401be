// custom_id strings: "kind:arg:arg…", at most CUSTOM_ID_MAX characters, checked where they are made.
// Each kind has one home: the handler that answers it also makes its ids (componentHandler), so a typo
// cannot make a button that no handler answers.
import { CUSTOM_ID_MAX } from "./discordLimits.js";
import type { ComponentHandler } from "./types.js";

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

/** A handler that makes its own custom_ids: `handler.id(...args)` is "kind:args…", which its handle() reads. */
export type OwnIdHandler<Args extends (string | number)[]> = ComponentHandler & {
  id(...args: Args): string;
};

/** Declares a component handler together with the shape of its custom_id's arguments. */
export function componentHandler<Args extends (string | number)[]>(
  handler: ComponentHandler,
): OwnIdHandler<Args> {
  return { ...handler, id: (...args: Args) => customId(handler.kind, ...args) };
}

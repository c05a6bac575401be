// Members and permissions: what a member, the moderator and the bot may do, as Discord computes it from
// permission bits, and the user/member objects Discord sends for them.
import type { RegisteredCommand, StandInUser } from "./types.js";

export const PERM = {
  manageGuild: 1n << 5n,
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  manageMessages: 1n << 13n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readHistory: 1n << 16n,
  useCommands: 1n << 31n,
} as const;

export const MEMBER_PERMS =
  PERM.viewChannel | PERM.sendMessages | PERM.readHistory | PERM.useCommands | PERM.attachFiles;
export const MODERATOR_PERMS = MEMBER_PERMS | PERM.manageGuild | PERM.manageMessages;
export const BOT_PERMS = MEMBER_PERMS | PERM.embedLinks;

export function permissionsOf(user: { moderator: boolean }): bigint {
  return user.moderator ? MODERATOR_PERMS : MEMBER_PERMS;
}

/** Discord itself hides a command from members without its default permissions. */
export function mayUse(cmd: RegisteredCommand, user: StandInUser): boolean {
  if (cmd.default_member_permissions == null) return true;
  const needed = BigInt(cmd.default_member_permissions);
  return (permissionsOf(user) & needed) === needed;
}

/** A role as Discord sends it (in the guild, and resolved in an interaction's options). */
export function rolePayload(role: { id: string; name: string }, position = 1, permissions = 0n) {
  return {
    id: role.id,
    name: role.name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

export function userPayload(u: { id: string; username: string }) {
  return { id: u.id, username: u.username, discriminator: "0", global_name: u.username, avatar: null };
}

export function memberPayload(
  u: { id: string; username: string; moderator: boolean; roles?: string[] },
  perms?: bigint,
) {
  return {
    user: userPayload(u),
    roles: u.roles ?? [],
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    nick: null,
    avatar: null,
    premium_since: null,
    communication_disabled_until: null,
    permissions: (perms ?? permissionsOf(u)).toString(),
  };
}

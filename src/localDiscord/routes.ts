// The REST routes the bot uses, matched as Discord matches them, each with its OpenAPI path (for body
// validation) and whether it needs the bot's token. Interaction callbacks and webhooks follow the
// interaction rules; the rest (gateway URL, commands, channel messages) is handled here.
import { hasSomething, interactionCallback, interactionWebhook } from "./interactionRules.js";
import { userPayload } from "./permissions.js";
import type { DiscordState } from "./state.js";
import { type Answered, type RegisteredCommand, type RestCall, snowflake } from "./types.js";

export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface Route {
  name: string;
  method: Method;
  params: Record<string, string | undefined>;
  /** The route's path in Discord's OpenAPI description, when its body is validated against it. */
  specPath: string | null;
  needsBotAuth: boolean;
}

const WEBHOOK_MESSAGE = /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/;
const CHANNEL_MESSAGE = /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/;

const ROUTES: [string, Method, RegExp, string | null, boolean][] = [
  ["gatewayBot", "get", /^\/gateway\/bot$/, null, true],
  ["gateway", "get", /^\/gateway$/, null, false],
  ["usersMe", "get", /^\/users\/@me$/, null, true],
  [
    "putCommands",
    "put",
    /^\/applications\/(?<app>\d+)\/guilds\/(?<guild>\d+)\/commands$/,
    "/applications/{application_id}/guilds/{guild_id}/commands",
    true,
  ],
  [
    "putCommands",
    "put",
    /^\/applications\/(?<app>\d+)\/commands$/,
    "/applications/{application_id}/commands",
    true,
  ],
  ["getCommands", "get", /^\/applications\/(?<app>\d+)\/guilds\/(?<guild>\d+)\/commands$/, null, true],
  ["getCommands", "get", /^\/applications\/(?<app>\d+)\/commands$/, null, true],
  [
    "callback",
    "post",
    /^\/interactions\/(?<id>\d+)\/(?<token>[^/]+)\/callback$/,
    "/interactions/{interaction_id}/{interaction_token}/callback",
    false,
  ],
  [
    "webhookEdit",
    "patch",
    WEBHOOK_MESSAGE,
    "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    false,
  ],
  ["webhookGet", "get", WEBHOOK_MESSAGE, null, false],
  ["webhookDelete", "delete", WEBHOOK_MESSAGE, null, false],
  [
    "webhookFollowup",
    "post",
    /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)$/,
    "/webhooks/{webhook_id}/{webhook_token}",
    false,
  ],
  ["channelPost", "post", /^\/channels\/(?<channel>\d+)\/messages$/, "/channels/{channel_id}/messages", true],
  ["channelEdit", "patch", CHANNEL_MESSAGE, "/channels/{channel_id}/messages/{message_id}", true],
  ["channelDelete", "delete", CHANNEL_MESSAGE, null, true],
  ["channelGetMessage", "get", CHANNEL_MESSAGE, null, true],
  ["channelGet", "get", /^\/channels\/(?<channel>\d+)$/, null, true],
];

export function matchRoute(method: string, path: string): Route | null {
  for (const [name, m, re, specPath, needsBotAuth] of ROUTES) {
    if (m !== method.toLowerCase()) continue;
    const match = re.exec(path);
    if (match) return { name, method: m, params: { ...match.groups }, specPath, needsBotAuth };
  }
  return null;
}

export function handleRoute(s: DiscordState, route: Route, call: RestCall): Answered {
  const { params: p, body, files, reply, fail } = call;
  const b = (body ?? {}) as Record<string, unknown>;
  switch (route.name) {
    case "gatewayBot":
      return reply(200, {
        url: s.url.replace("http", "ws"),
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    case "gateway":
      return reply(200, { url: s.url.replace("http", "ws") });
    case "usersMe":
      return reply(200, { ...userPayload(s.botUser), bot: true });
    case "putCommands":
      return putCommands(s, call);
    case "getCommands":
      return reply(200, p.guild ? s.commands.guild : s.commands.global);
    case "callback":
      return interactionCallback(s, call);
    case "webhookFollowup":
      return interactionWebhook(s, "followup", call);
    case "webhookGet":
      return interactionWebhook(s, "get", call);
    case "webhookEdit":
      return interactionWebhook(s, "edit", call);
    case "webhookDelete":
      return interactionWebhook(s, "delete", call);
    case "channelPost": {
      if (!s.channelName(p.channel ?? "")) return fail(404, 10003, "Unknown Channel");
      if (!hasSomething(b, files)) return fail(400, 50006, "Cannot send an empty message");
      const msg = s.botMessage(p.channel ?? "", s.messageFields(b, files));
      return reply(200, s.messagePayload(msg));
    }
    case "channelEdit":
    case "channelDelete":
    case "channelGetMessage": {
      const msg = s.messages.get(p.message ?? "");
      if (!msg || msg.deleted || msg.channel_id !== p.channel) return fail(404, 10008, "Unknown Message");
      if (route.name === "channelGetMessage") return reply(200, s.messagePayload(msg));
      if (route.name === "channelDelete") {
        if (msg.author.id !== s.botUser.id) return fail(403, 50013, "Missing Permissions");
        msg.deleted = true;
        return reply(204);
      }
      if (msg.author.id !== s.botUser.id)
        return fail(403, 50005, "Cannot edit a message authored by another user");
      s.applyEdit(msg, b, files);
      return reply(200, s.messagePayload(msg));
    }
    case "channelGet": {
      const name = s.channelName(p.channel ?? "");
      if (!name) return fail(404, 10003, "Unknown Channel");
      return reply(200, {
        id: p.channel,
        type: 0,
        guild_id: s.guildId,
        name,
        position: 0,
        permission_overwrites: [],
        flags: 0,
      });
    }
    default:
      return fail(404, 0, `404: Not Found (no handler for ${route.name})`);
  }
}

/** PUT of the whole command list, global or for the one guild: replaces what was registered. */
function putCommands(s: DiscordState, { params: p, body, reply, fail }: RestCall): Answered {
  if (p.app !== s.applicationId) return fail(403, 50001, "Missing Access (wrong application id)");
  if (p.guild && p.guild !== s.guildId) return fail(403, 50001, "Missing Access (unknown guild)");
  const list = (Array.isArray(body) ? body : []) as RegisteredCommand[];
  const names = list.map((c) => `${c.type ?? 1}:${c.name}`);
  if (new Set(names).size !== names.length)
    return fail(400, 50035, "Invalid Form Body: duplicate command names");
  const stored = list.map((c) => ({
    ...c,
    type: c.type ?? 1,
    id: snowflake(),
    application_id: s.applicationId,
    version: snowflake(),
  }));
  if (p.guild) s.commands.guild = stored;
  else s.commands.global = stored;
  return reply(
    200,
    stored.map((c) => (p.guild ? { ...c, guild_id: p.guild } : c)),
  );
}

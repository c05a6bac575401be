// The gateway: HELLO, heartbeats, IDENTIFY checked against the token, READY and GUILD_CREATE, and the
// dispatch of events (INTERACTION_CREATE) to the connected bot. Sharded as Discord shards: a session that
// identifies with `shard: [i, n]` gets the guilds with (guild_id >> 22) % n === i, their events, and (shard 0)
// the events of no guild (DMs). Resume is refused as Discord refuses an invalid session, so a reconnecting
// bot identifies afresh.
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { BOT_PERMS, MEMBER_PERMS, memberPayload, rolePayload } from "./permissions.js";
import type { DiscordState } from "./state.js";

/** The shard of `count` that receives a guild's events: Discord's formula. */
export function shardOf(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

interface Session {
  ws: WebSocket;
  shard: number;
  count: number;
  seq: number;
}

export class Gateway {
  /** The identified sessions, by "shard/count": a new IDENTIFY of the same shard replaces the old session. */
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly state: DiscordState) {}

  get connected(): boolean {
    return this.sessions.size > 0;
  }

  handleSocket(ws: WebSocket): void {
    const send = (payload: unknown) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(payload));
    send({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    ws.on("message", (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (msg.op === 1) send({ op: 11, d: null, s: null, t: null });
      else if (msg.op === 2) this.identify(ws, msg.d);
      else if (msg.op === 6) {
        // Resume is not supported: ask for a fresh IDENTIFY like Discord does with an invalid session.
        send({ op: 9, d: false, s: null, t: null });
      }
    });
    ws.on("close", () => {
      for (const [key, session] of this.sessions) if (session.ws === ws) this.sessions.delete(key);
      this.state.emit("change");
    });
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    const s = this.state;
    if (d.token !== s.token && d.token !== `Bot ${s.token}`) {
      ws.close(4004, "Authentication failed.");
      return;
    }
    const [shard, count] = (d.shard ?? [0, 1]) as [unknown, unknown];
    if (!Number.isInteger(shard) || !Number.isInteger(count) || (count as number) < 1) {
      ws.close(4010, "Invalid shard.");
      return;
    }
    if ((shard as number) < 0 || (shard as number) >= (count as number)) {
      ws.close(4010, "Invalid shard.");
      return;
    }
    const session: Session = { ws, shard: shard as number, count: count as number, seq: 0 };
    this.sessions.set(`${session.shard}/${session.count}`, session);
    s.identifies.push({ intents: Number(d.intents), at: Date.now(), shard: [session.shard, session.count] });
    const owned = shardOf(s.guildId, session.count) === session.shard;
    this.send(session, "READY", {
      v: 10,
      user: { ...s.botUser, discriminator: "0", avatar: null, global_name: null, bot: true, flags: 0 },
      guilds: owned ? [{ id: s.guildId, unavailable: true }] : [],
      session_id: randomBytes(8).toString("hex"),
      resume_gateway_url: s.url.replace("http", "ws"),
      application: { id: s.applicationId, flags: 0 },
      shard: [session.shard, session.count],
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      _trace: ["standin"],
    });
    if (owned) this.send(session, "GUILD_CREATE", guildPayload(s));
    s.emit("change");
  }

  /** Sends an event to the sessions that receive it: its guild's shard, or shard 0 for events of no guild. */
  dispatch(t: string, d: unknown): void {
    const guildId = (d as { guild_id?: string } | null)?.guild_id;
    const targets = [...this.sessions.values()].filter(
      (x) =>
        x.ws.readyState === WebSocket.OPEN &&
        (guildId ? shardOf(guildId, x.count) === x.shard : x.shard === 0),
    );
    if (targets.length === 0)
      throw new Error(
        this.sessions.size === 0
          ? "stand-in: the bot is not connected"
          : `stand-in: the bot's shard for ${guildId ? `guild ${guildId}` : "direct messages"} is not connected`,
      );
    for (const session of targets) this.send(session, t, d);
  }

  private send(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    session.ws.send(JSON.stringify({ op: 0, t, s: session.seq, d }));
  }

  /** Drops the bot's connections (a crash seen from Discord's side): every shard's, or one shard's. */
  drop(shard?: number): void {
    for (const [key, session] of this.sessions) {
      if (shard !== undefined && session.shard !== shard) continue;
      session.ws.terminate();
      this.sessions.delete(key);
    }
  }
}

function guildPayload(s: DiscordState): Record<string, unknown> {
  const channel = (id: string, position: number) => ({
    id,
    type: 0,
    guild_id: s.guildId,
    name: s.channelName(id),
    position,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  });
  return {
    id: s.guildId,
    name: "Python study group",
    icon: null,
    owner_id: s.user("mod").id,
    unavailable: false,
    member_count: s.users.size + 1,
    large: false,
    joined_at: new Date().toISOString(),
    features: [],
    roles: [
      rolePayload({ id: s.guildId, name: "@everyone" }, 0, MEMBER_PERMS),
      ...[...s.roles.values()].map((role, i) => rolePayload(role, i + 1)),
    ],
    channels: Object.values(s.channels).map(channel),
    members: [memberPayload({ ...s.botUser, moderator: false }, BOT_PERMS)],
    emojis: [],
    stickers: [],
    presences: [],
    voice_states: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    preferred_locale: "en-US",
    premium_tier: 0,
    system_channel_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
  };
}

// The gateway: HELLO, heartbeats, IDENTIFY checked against the token, READY and GUILD_CREATE, and the
// dispatch of events (INTERACTION_CREATE) to the connected bot. Resume is refused as Discord refuses an
// invalid session, so a reconnecting bot identifies afresh.
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { BOT_PERMS, MEMBER_PERMS, memberPayload } from "./permissions.js";
import type { DiscordState } from "./state.js";

export class Gateway {
  private socket: WebSocket | null = null;
  private seq = 0;

  constructor(private readonly state: DiscordState) {}

  get connected(): boolean {
    return this.socket !== null;
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
      if (this.socket === ws) this.socket = null;
    });
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): void {
    const s = this.state;
    if (d.token !== s.token && d.token !== `Bot ${s.token}`) {
      ws.close(4004, "Authentication failed.");
      return;
    }
    s.identifies.push({ intents: Number(d.intents), at: Date.now() });
    this.socket = ws;
    this.seq = 0;
    this.dispatch("READY", {
      v: 10,
      user: { ...s.botUser, discriminator: "0", avatar: null, global_name: null, bot: true, flags: 0 },
      guilds: [{ id: s.guildId, unavailable: true }],
      session_id: randomBytes(8).toString("hex"),
      resume_gateway_url: s.url.replace("http", "ws"),
      application: { id: s.applicationId, flags: 0 },
      shard: [0, 1],
      private_channels: [],
      presences: [],
      relationships: [],
      user_settings: {},
      _trace: ["standin"],
    });
    this.dispatch("GUILD_CREATE", guildPayload(s));
    s.emit("change");
  }

  dispatch(t: string, d: unknown): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
      throw new Error("stand-in: the bot is not connected");
    this.seq += 1;
    this.socket.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
  }

  /** Drops the bot's connection (a crash seen from Discord's side). */
  drop(): void {
    this.socket?.terminate();
    this.socket = null;
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
      {
        id: s.guildId,
        name: "@everyone",
        permissions: MEMBER_PERMS.toString(),
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
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

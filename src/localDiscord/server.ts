// A local Discord: the REST routes and the gateway the bot uses, on 127.0.0.1, strict where Discord is strict.
// It records every request, validates every body (see ./validate.ts), enforces the 3-second first response,
// a single initial response and the 15-minute token, and lets a test act as members (slash commands,
// button clicks, modal submits, message commands) the way the Discord client would.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { extraLimits, SchemaValidator } from "./validate.js";

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
const MEMBER_PERMS =
  PERM.viewChannel | PERM.sendMessages | PERM.readHistory | PERM.useCommands | PERM.attachFiles;
const MODERATOR_PERMS = MEMBER_PERMS | PERM.manageGuild | PERM.manageMessages;
const BOT_PERMS = MEMBER_PERMS | PERM.embedLinks;

const INITIAL_DEADLINE_MS = 3000;
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

let snowflakeCounter = 0n;
/** Discord-like ids: time-ordered, unique within the process. */
export function snowflake(): string {
  snowflakeCounter += 1n;
  return (((BigInt(Date.now()) - 1420070400000n) << 22n) | (snowflakeCounter & 0x3fffffn)).toString();
}

export interface StandInUser {
  id: string;
  username: string;
  moderator: boolean;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  content_type: string;
  data: Buffer;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: { id: string; username: string; bot: boolean };
  content: string;
  components: unknown[];
  embeds: unknown[];
  attachments: StoredAttachment[];
  flags: number;
  allowed_mentions: unknown;
  /** The interaction whose response this is, if any. */
  interactionId: string | null;
  /** Member who sees an ephemeral message (null: everyone). */
  visibleTo: string | null;
  edits: number;
  deleted: boolean;
  createdAt: number;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  contentType: string;
  body: unknown;
  status: number;
  problems: string[];
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  createdAt: number;
  payload: Record<string, unknown>;
  user: StandInUser;
  /** Interaction callback types received, in order (4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete, 9 modal). */
  callbacks: { type: number; at: number; body: Record<string, unknown>; arrivedHr: number }[];
  /** performance.now() when the interaction was dispatched (latency measurements). */
  createdHr: number;
  /** The message this interaction's @original points at (its reply, or the message of the clicked component). */
  original: StoredMessage | null;
  followups: StoredMessage[];
  modal: { custom_id: string; title: string; components: unknown[] } | null;
  choices: { name: string; value: string | number }[] | null;
  /** Edits of `original` when the first response arrived (a deferral is settled by a later edit). */
  editsAtAck: number;
}

interface RegisteredCommand {
  id: string;
  name: string;
  type: number;
  default_member_permissions?: string | null;
  contexts?: number[] | null;
  options?: unknown[];
  [k: string]: unknown;
}

export interface StandInOptions {
  token?: string;
  applicationId?: string;
  /** Replace Discord's OpenAPI path (tests of the validator itself). */
  specPath?: string;
}

export class DiscordStandIn extends EventEmitter {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: { id: string; username: string };
  readonly guildId = snowflake();
  readonly channels = { general: snowflake(), lessons: snowflake(), random: snowflake() };
  readonly users = new Map<string, StandInUser>();
  readonly requests: RecordedRequest[] = [];
  /** Every rule the bot broke (schema, limits, timing, double responses); a clean run leaves it empty. */
  readonly violations: string[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commands = { global: [] as RegisteredCommand[], guild: [] as RegisteredCommand[] };
  readonly identifies: { intents: number; at: number }[] = [];
  readonly validator: SchemaValidator;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  private seq = 0;
  private port = 0;
  private uploads = new Map<string, StoredAttachment>();

  constructor(options: StandInOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.token = options.token ?? `standin.${randomBytes(12).toString("hex")}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.botUser = { id: this.applicationId, username: "tutor" };
    this.validator = new SchemaValidator(options.specPath);
    this.addUser("mod", { moderator: true });
    for (const name of ["alice", "bob", "carol"]) this.addUser(name);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addUser(username: string, opts: { moderator?: boolean } = {}): StandInUser {
    const user = { id: snowflake(), username, moderator: opts.moderator ?? false };
    this.users.set(username, user);
    return user;
  }

  user(name: string): StandInUser {
    const u = this.users.get(name);
    if (!u) throw new Error(`stand-in: no user ${name}`);
    return u;
  }

  async start(): Promise<this> {
    this.http = createServer((req, res) => {
      this.handleHttp(req, res).catch((err: unknown) => {
        this.violations.push(`stand-in crashed on ${req.method} ${req.url}: ${String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on("connection", (ws) => this.handleSocket(ws));
    await new Promise<void>((resolve) => this.http?.listen(0, "127.0.0.1", resolve));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()) ?? resolve());
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => this.http?.close(() => resolve()) ?? resolve());
  }

  /** Drops the bot's gateway connection (a crash seen from Discord's side). */
  dropGateway(): void {
    this.socket?.terminate();
    this.socket = null;
  }

  // ---------------------------------------------------------------- gateway

  private handleSocket(ws: WebSocket): void {
    const send = (payload: unknown) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(payload));
    send({ op: 10, d: { heartbeat_interval: 41_250 }, s: null, t: null });
    ws.on("message", (raw) => {
      const msg = JSON.parse(String(raw)) as { op: number; d: Record<string, unknown> };
      if (msg.op === 1) send({ op: 11, d: null, s: null, t: null });
      else if (msg.op === 2) {
        if (msg.d.token !== this.token && msg.d.token !== `Bot ${this.token}`) {
          ws.close(4004, "Authentication failed.");
          return;
        }
        this.identifies.push({ intents: Number(msg.d.intents), at: Date.now() });
        this.socket = ws;
        this.seq = 0;
        this.dispatch("READY", {
          v: 10,
          user: { ...this.botUser, discriminator: "0", avatar: null, global_name: null, bot: true, flags: 0 },
          guilds: [{ id: this.guildId, unavailable: true }],
          session_id: randomBytes(8).toString("hex"),
          resume_gateway_url: this.url.replace("http", "ws"),
          application: { id: this.applicationId, flags: 0 },
          shard: [0, 1],
          private_channels: [],
          presences: [],
          relationships: [],
          user_settings: {},
          _trace: ["standin"],
        });
        this.dispatch("GUILD_CREATE", this.guildPayload());
        this.emit("change");
      } else if (msg.op === 6) {
        // Resume is not supported: ask for a fresh IDENTIFY like Discord does with an invalid session.
        send({ op: 9, d: false, s: null, t: null });
      }
    });
    ws.on("close", () => {
      if (this.socket === ws) this.socket = null;
    });
  }

  private dispatch(t: string, d: unknown): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
      throw new Error("stand-in: the bot is not connected");
    this.seq += 1;
    this.socket.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
  }

  /** Resolves once a bot has identified on the gateway (after `count` identifies in total). */
  async waitForIdentify(count = 1, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(
      () => this.identifies.length >= count && this.socket !== null,
      timeoutMs,
      "IDENTIFY",
    );
  }

  private guildPayload(): Record<string, unknown> {
    const channel = (id: string, name: string, position: number) => ({
      id,
      type: 0,
      guild_id: this.guildId,
      name,
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
      id: this.guildId,
      name: "Python study group",
      icon: null,
      owner_id: this.user("mod").id,
      unavailable: false,
      member_count: this.users.size + 1,
      large: false,
      joined_at: new Date().toISOString(),
      features: [],
      roles: [
        {
          id: this.guildId,
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
      channels: [
        channel(this.channels.general, "general", 0),
        channel(this.channels.lessons, "python-lessons", 1),
        channel(this.channels.random, "random", 2),
      ],
      members: [this.memberPayload({ ...this.botUser, moderator: false }, BOT_PERMS)],
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

  private userPayload(u: { id: string; username: string }) {
    return { id: u.id, username: u.username, discriminator: "0", global_name: u.username, avatar: null };
  }

  private memberPayload(
    u: StandInUser | { id: string; username: string; moderator: boolean },
    perms?: bigint,
  ) {
    return {
      user: this.userPayload(u),
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      nick: null,
      avatar: null,
      premium_since: null,
      communication_disabled_until: null,
      permissions: (perms ?? (u.moderator ? MODERATOR_PERMS : MEMBER_PERMS)).toString(),
    };
  }

  // ---------------------------------------------------------------- acting as members

  private baseInteraction(
    type: number,
    user: StandInUser,
    channelId: string,
    data: unknown,
    message?: unknown,
  ) {
    const id = snowflake();
    const token = `itok.${randomBytes(16).toString("hex")}`;
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      data,
      guild_id: this.guildId,
      guild: { id: this.guildId, locale: "en-US", features: [] },
      channel_id: channelId,
      channel: {
        id: channelId,
        type: 0,
        guild_id: this.guildId,
        name: "channel",
        flags: 0,
        permissions: "0",
      },
      member: this.memberPayload(user),
      token,
      version: 1,
      app_permissions: BOT_PERMS.toString(),
      locale: "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": this.guildId },
      context: 0,
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (message) payload.message = message;
    const record: InteractionRecord = {
      id,
      token,
      type,
      createdAt: Date.now(),
      createdHr: performance.now(),
      payload,
      user,
      callbacks: [],
      original: null,
      followups: [],
      modal: null,
      choices: null,
      editsAtAck: 0,
    };
    this.interactions.set(id, record);
    return record;
  }

  private findCommand(name: string, type: number): RegisteredCommand {
    const cmd = [...this.commands.guild, ...this.commands.global].find(
      (c) => c.name === name && c.type === type,
    );
    if (!cmd) throw new Error(`stand-in: command ${name} (type ${type}) is not registered`);
    return cmd;
  }

  /** Discord itself hides a command from members without its default permissions. */
  private mayUse(cmd: RegisteredCommand, user: StandInUser): boolean {
    if (cmd.default_member_permissions == null) return true;
    const needed = BigInt(cmd.default_member_permissions);
    const has = user.moderator ? MODERATOR_PERMS : MEMBER_PERMS;
    return (has & needed) === needed;
  }

  /**
   * A member runs a slash command. `path` is "finally quiz" or "config show" etc.; options are the leaf options.
   * `bypassPermissions` sends it even when Discord would hide the command (to test the bot's own check).
   */
  slash(
    path: string,
    opts: {
      user?: string;
      channel?: string;
      /** Leaf option values; `{ channel: id }` is a channel option. */
      options?: Record<string, string | number | boolean | { channel: string }>;
      attachments?: Record<string, { filename: string; content: string }>;
      bypassPermissions?: boolean;
      focused?: string;
    } = {},
  ): InteractionRecord {
    const [name, ...subs] = path.split(" ");
    const cmd = this.findCommand(name ?? "", 1);
    const user = this.user(opts.user ?? "alice");
    if (!opts.bypassPermissions && !this.mayUse(cmd, user))
      throw new Error(`stand-in: Discord would not show /${name} to ${user.username}`);
    const typeOf = (v: unknown) =>
      typeof v === "number" ? (Number.isInteger(v) ? 4 : 10) : typeof v === "boolean" ? 5 : 3;
    const resolved: Record<string, unknown> = {};
    let leaf: unknown[] = Object.entries(opts.options ?? {}).map(([n, value]) => {
      if (typeof value === "object") {
        const name = Object.entries(this.channels).find(([, id]) => id === value.channel)?.[0] ?? "unknown";
        resolved.channels = {
          ...(resolved.channels as object),
          [value.channel]: {
            id: value.channel,
            type: 0,
            name,
            permissions: MEMBER_PERMS.toString(),
            flags: 0,
          },
        };
        return { name: n, type: 7, value: value.channel };
      }
      return { name: n, type: typeOf(value), value, ...(opts.focused === n ? { focused: true } : {}) };
    });
    if (opts.attachments) {
      const atts: Record<string, unknown> = {};
      for (const [optName, file] of Object.entries(opts.attachments)) {
        const att = this.upload(file.filename, Buffer.from(file.content));
        atts[att.id] = {
          id: att.id,
          filename: att.filename,
          size: att.size,
          url: att.url,
          proxy_url: att.url,
          content_type: att.content_type,
        };
        leaf.push({ name: optName, type: 11, value: att.id });
      }
      resolved.attachments = atts;
    }
    if (subs.length === 2)
      leaf = [{ name: subs[0], type: 2, options: [{ name: subs[1], type: 1, options: leaf }] }];
    else if (subs.length === 1) leaf = [{ name: subs[0], type: 1, options: leaf }];
    const data: Record<string, unknown> = { id: cmd.id, name: cmd.name, type: 1, options: leaf };
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
    const record = this.baseInteraction(
      opts.focused ? 4 : 2,
      user,
      opts.channel ?? this.channels.general,
      data,
    );
    this.dispatch("INTERACTION_CREATE", record.payload);
    return record;
  }

  /** A member posts a message (the bot has no message intent, so only a message command can use it). */
  postMessage(
    username: string,
    content: string,
    opts: { channel?: string; files?: { filename: string; content: string }[] } = {},
  ): StoredMessage {
    const user = this.user(username);
    const msg = this.storeMessage(
      opts.channel ?? this.channels.general,
      { id: user.id, username, bot: false },
      {
        content,
        attachments: (opts.files ?? []).map((f) => this.upload(f.filename, Buffer.from(f.content))),
      },
    );
    return msg;
  }

  /** A member uses a message context-menu command ("Run Python") on a message. */
  messageCommand(name: string, message: StoredMessage, username = "alice"): InteractionRecord {
    const cmd = this.findCommand(name, 3);
    const data = {
      id: cmd.id,
      name,
      type: 3,
      target_id: message.id,
      resolved: { messages: { [message.id]: this.messagePayload(message) } },
    };
    const record = this.baseInteraction(2, this.user(username), message.channel_id, data);
    this.dispatch("INTERACTION_CREATE", record.payload);
    return record;
  }

  /** A member clicks a button of a message. Fails like Discord's client would if there is no such button. */
  click(message: StoredMessage, customId: string, username = "alice"): InteractionRecord {
    if (message.deleted) throw new Error("stand-in: the message was deleted");
    if (message.visibleTo && message.visibleTo !== this.user(username).id)
      throw new Error(`stand-in: ${username} cannot see that ephemeral message`);
    const found = allComponents(message.components).find((c) => c.custom_id === customId);
    if (!found) throw new Error(`stand-in: no component ${customId} on message ${message.id}`);
    if (found.disabled) throw new Error(`stand-in: component ${customId} is disabled`);
    const record = this.baseInteraction(
      3,
      this.user(username),
      message.channel_id,
      { custom_id: customId, component_type: found.type },
      this.messagePayload(message),
    );
    record.original = message;
    this.dispatch("INTERACTION_CREATE", record.payload);
    return record;
  }

  /** A member picks values in a select menu of a message. */
  select(message: StoredMessage, customId: string, values: string[], username = "alice"): InteractionRecord {
    if (message.deleted) throw new Error("stand-in: the message was deleted");
    const found = allComponents(message.components).find((c) => c.custom_id === customId) as
      | (FlatComponent & { options?: { value: string }[]; min_values?: number; max_values?: number })
      | undefined;
    if (found?.type !== 3) throw new Error(`stand-in: no select menu ${customId} on message ${message.id}`);
    const known = new Set((found.options ?? []).map((o) => o.value));
    if (values.some((v) => !known.has(v)))
      throw new Error(`stand-in: ${values.join(",")} are not all options of ${customId}`);
    if (values.length < (found.min_values ?? 1) || values.length > (found.max_values ?? 1))
      throw new Error(`stand-in: ${values.length} values is outside the menu's min/max`);
    const record = this.baseInteraction(
      3,
      this.user(username),
      message.channel_id,
      { custom_id: customId, component_type: 3, values },
      this.messagePayload(message),
    );
    record.original = message;
    this.dispatch("INTERACTION_CREATE", record.payload);
    return record;
  }

  /** Clicks a button found by its label (tests read better with labels). */
  clickLabel(message: StoredMessage, label: string, username = "alice"): InteractionRecord {
    const found = allComponents(message.components).find((c) => c.label === label);
    if (!found?.custom_id)
      throw new Error(
        `stand-in: no button labelled ${label} on message ${message.id}: ${labels(message).join(", ")}`,
      );
    return this.click(message, found.custom_id, username);
  }

  /** A member submits the modal an interaction opened, with field values by custom_id. */
  submitModal(opener: InteractionRecord, values: Record<string, string>): InteractionRecord {
    const modal = opener.modal;
    if (!modal) throw new Error("stand-in: that interaction did not open a modal");
    const rows = (
      modal.components as {
        type: number;
        components?: { custom_id: string; type: number }[];
        component?: { custom_id: string; type: number };
      }[]
    ).map((row) => {
      if (row.type === 18 && row.component)
        return {
          type: 18,
          component: {
            type: row.component.type,
            custom_id: row.component.custom_id,
            value: values[row.component.custom_id] ?? "",
          },
        };
      return {
        type: 1,
        components: (row.components ?? []).map((c) => ({
          type: c.type,
          custom_id: c.custom_id,
          value: values[c.custom_id] ?? "",
        })),
      };
    });
    for (const key of Object.keys(values)) {
      if (!JSON.stringify(rows).includes(`"custom_id":"${key}"`))
        throw new Error(`stand-in: the modal has no field ${key}`);
    }
    const channelId = String(opener.payload.channel_id);
    const record = this.baseInteraction(
      5,
      opener.user,
      channelId,
      { custom_id: modal.custom_id, components: rows },
      opener.type === 3 ? opener.payload.message : undefined,
    );
    if (opener.type === 3) record.original = opener.original;
    this.dispatch("INTERACTION_CREATE", record.payload);
    return record;
  }

  // ---------------------------------------------------------------- waiting for the bot

  async waitUntil<T>(
    check: () => T | null | undefined | false,
    timeoutMs = 10_000,
    what = "condition",
  ): Promise<T> {
    const first = check();
    if (first) return first;
    return await new Promise<T>((resolve, reject) => {
      const onChange = () => {
        const v = check();
        if (v) {
          clearTimeout(timer);
          this.off("change", onChange);
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        this.off("change", onChange);
        reject(
          new Error(
            `stand-in: timed out waiting for ${what}; violations: ${this.violations.join(" | ") || "none"}`,
          ),
        );
      }, timeoutMs);
      this.on("change", onChange);
    });
  }

  /** The message an interaction finally produced: its reply (after any deferral) or the updated message. */
  async reply(ix: InteractionRecord, timeoutMs = 15_000): Promise<StoredMessage> {
    return await this.waitUntil(
      () => {
        const first = ix.callbacks[0];
        if (!first) return null;
        if (first.type === 4 || first.type === 7) return ix.original;
        if ((first.type === 5 || first.type === 6) && ix.original && ix.original.edits > ix.editsAtAck)
          return ix.original;
        return null;
      },
      timeoutMs,
      `the reply to interaction ${ix.id}`,
    );
  }

  /** The modal an interaction opened. */
  async modal(ix: InteractionRecord, timeoutMs = 5000): Promise<NonNullable<InteractionRecord["modal"]>> {
    return await this.waitUntil(() => ix.modal, timeoutMs, `a modal from ${ix.id}`);
  }

  /** Waits for a message to be edited past `edits` (group reveals, run results). */
  async edited(msg: StoredMessage, pastEdits = msg.edits, timeoutMs = 15_000): Promise<StoredMessage> {
    return await this.waitUntil(
      () => (msg.edits > pastEdits ? msg : null),
      timeoutMs,
      `an edit of message ${msg.id}`,
    );
  }

  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted);
  }

  /** Interactions created more than 3 s ago that never got an initial response. */
  unanswered(): InteractionRecord[] {
    return [...this.interactions.values()].filter(
      (ix) => ix.callbacks.length === 0 && Date.now() - ix.createdAt > INITIAL_DEADLINE_MS,
    );
  }

  // ---------------------------------------------------------------- REST

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedHr = performance.now();
    const url = new URL(req.url ?? "/", this.url);
    const raw = await readBody(req);
    const contentType = req.headers["content-type"] ?? "";
    let body: unknown = null;
    const files: UploadedFile[] = [];
    if (contentType.startsWith("multipart/form-data")) {
      const form = await new Request("http://x/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: raw,
      }).formData();
      for (const [name, value] of form.entries()) {
        if (name === "payload_json") body = JSON.parse(String(value));
        else if (typeof value !== "string")
          files.push({
            name,
            filename: value.name,
            data: Buffer.from(await value.arrayBuffer()),
            type: value.type,
          });
      }
    } else if (raw.length > 0) body = JSON.parse(raw.toString("utf8"));
    // Discord's routes are matched on the decoded path: discord.js sends @original as %40original.
    const path = decodeURIComponent(url.pathname)
      .replace(/^\/api/, "")
      .replace(/^\/v\d+/, "");
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? "GET",
      path,
      contentType,
      body,
      status: 0,
      problems: [],
    };
    this.requests.push(record);
    const reply: Reply = (status, json) => {
      record.status = status;
      if (json === undefined) res.writeHead(status).end();
      else res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(json));
      this.emit("change");
    };
    const fail: Fail = (status, code, message) => {
      record.problems.push(message);
      this.violations.push(`${record.method} ${path}: ${message}`);
      reply(status, { code, message });
    };
    const upload = /^\/attachments\/(\d+)\//.exec(path);
    if (upload && record.method === "GET") {
      const att = this.uploads.get(upload[1] ?? "");
      record.status = att ? 200 : 404;
      res
        .writeHead(record.status, { "content-type": att?.content_type ?? "text/plain" })
        .end(att?.data ?? "not found");
      return;
    }
    const route = matchRoute(record.method, path);
    if (!route) {
      fail(404, 0, "404: Not Found (route unknown to the stand-in)");
      return;
    }
    if (route.needsBotAuth && req.headers.authorization !== `Bot ${this.token}`) {
      fail(401, 0, "401: Unauthorized");
      return;
    }
    if (route.specPath && body !== null && route.method !== "get" && route.method !== "delete") {
      const schemaProblems = this.validator.validate(route.specPath, route.method, body);
      const limitKind =
        route.name === "callback" && (body as { type?: number }).type === 9 ? "modal" : "message";
      const data = route.name === "callback" ? (body as { data?: unknown }).data : body;
      const problems = [...schemaProblems, ...extraLimits(data, limitKind)];
      if (problems.length > 0) {
        fail(400, 50035, `Invalid Form Body: ${problems.join("; ")}`);
        return;
      }
    }
    await this.route(route, body, files, url, reply, fail, arrivedHr);
  }

  private async route(
    route: Route,
    body: unknown,
    files: UploadedFile[],
    url: URL,
    reply: Reply,
    fail: Fail,
    arrivedHr: number,
  ): Promise<void> {
    const p = route.params;
    const b = (body ?? {}) as Record<string, unknown>;
    switch (route.name) {
      case "gatewayBot":
        return reply(200, {
          url: this.url.replace("http", "ws"),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        });
      case "gateway":
        return reply(200, { url: this.url.replace("http", "ws") });
      case "usersMe":
        return reply(200, { ...this.userPayload(this.botUser), bot: true });
      case "putCommands": {
        if (p.app !== this.applicationId) return fail(403, 50001, "Missing Access (wrong application id)");
        if (p.guild && p.guild !== this.guildId) return fail(403, 50001, "Missing Access (unknown guild)");
        const list = (Array.isArray(body) ? body : []) as RegisteredCommand[];
        const names = list.map((c) => `${c.type ?? 1}:${c.name}`);
        if (new Set(names).size !== names.length)
          return fail(400, 50035, "Invalid Form Body: duplicate command names");
        const stored = list.map((c) => ({
          ...c,
          type: c.type ?? 1,
          id: snowflake(),
          application_id: this.applicationId,
          version: snowflake(),
        }));
        if (p.guild) this.commands.guild = stored;
        else this.commands.global = stored;
        return reply(
          200,
          stored.map((c) => (p.guild ? { ...c, guild_id: p.guild } : c)),
        );
      }
      case "getCommands":
        return reply(200, p.guild ? this.commands.guild : this.commands.global);
      case "callback":
        return this.callback(p.id ?? "", p.token ?? "", b, files, url, reply, fail, arrivedHr);
      case "webhookEdit":
      case "webhookGet":
      case "webhookDelete":
      case "webhookFollowup": {
        const ix = [...this.interactions.values()].find((i) => i.token === p.token);
        if (p.app !== this.applicationId || !ix) return fail(404, 10015, "Unknown Webhook");
        if (Date.now() - ix.createdAt > TOKEN_LIFETIME_MS) return fail(401, 50027, "Invalid Webhook Token");
        if (ix.callbacks.length === 0) return fail(404, 10015, "Unknown Webhook (no initial response yet)");
        if (route.name === "webhookFollowup") {
          const ephemeral = ((Number(b.flags) || 0) & 64) !== 0;
          const msg = this.storeMessage(
            String(ix.payload.channel_id),
            { ...this.botUser, bot: true },
            this.messageFields(b, files),
            ix,
            ephemeral ? ix.user.id : null,
          );
          ix.followups.push(msg);
          return reply(200, this.messagePayload(msg));
        }
        const target = p.message === "@original" ? ix.original : this.messages.get(p.message ?? "");
        if (!target || target.deleted) return fail(404, 10008, "Unknown Message");
        if (route.name === "webhookGet") return reply(200, this.messagePayload(target));
        if (route.name === "webhookDelete") {
          target.deleted = true;
          return reply(204);
        }
        this.applyEdit(target, b, files);
        return reply(200, this.messagePayload(target));
      }
      case "channelPost": {
        if (!Object.values(this.channels).includes(p.channel ?? ""))
          return fail(404, 10003, "Unknown Channel");
        if (!hasSomething(b, files)) return fail(400, 50006, "Cannot send an empty message");
        const msg = this.storeMessage(
          p.channel ?? "",
          { ...this.botUser, bot: true },
          this.messageFields(b, files),
        );
        return reply(200, this.messagePayload(msg));
      }
      case "channelEdit":
      case "channelDelete":
      case "channelGetMessage": {
        const msg = this.messages.get(p.message ?? "");
        if (!msg || msg.deleted || msg.channel_id !== p.channel) return fail(404, 10008, "Unknown Message");
        if (route.name === "channelGetMessage") return reply(200, this.messagePayload(msg));
        if (route.name === "channelDelete") {
          if (msg.author.id !== this.botUser.id) return fail(403, 50013, "Missing Permissions");
          msg.deleted = true;
          return reply(204);
        }
        if (msg.author.id !== this.botUser.id)
          return fail(403, 50005, "Cannot edit a message authored by another user");
        this.applyEdit(msg, b, files);
        return reply(200, this.messagePayload(msg));
      }
      case "channelGet": {
        const entry = Object.entries(this.channels).find(([, id]) => id === p.channel);
        if (!entry) return fail(404, 10003, "Unknown Channel");
        return reply(200, {
          id: entry[1],
          type: 0,
          guild_id: this.guildId,
          name: entry[0],
          position: 0,
          permission_overwrites: [],
          flags: 0,
        });
      }
    }
  }

  private async callback(
    id: string,
    token: string,
    b: Record<string, unknown>,
    files: UploadedFile[],
    url: URL,
    reply: Reply,
    fail: Fail,
    arrivedHr: number,
  ): Promise<void> {
    const ix = this.interactions.get(id);
    if (!ix || ix.token !== token) return fail(404, 10062, "Unknown interaction");
    const elapsed = Date.now() - ix.createdAt;
    if (ix.callbacks.length === 0 && elapsed > INITIAL_DEADLINE_MS)
      return fail(404, 10062, `Unknown interaction (first response after ${elapsed} ms, limit 3000)`);
    if (ix.callbacks.length > 0) return fail(400, 40060, "Interaction has already been acknowledged.");
    const type = Number(b.type);
    const data = (b.data ?? {}) as Record<string, unknown>;
    const allowed: Record<number, number[]> = { 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
    if (!(allowed[ix.type] ?? []).includes(type))
      return fail(400, 50035, `callback type ${type} is not valid for interaction type ${ix.type}`);
    if ((type === 6 || type === 7) && !ix.original)
      return fail(400, 50035, "no message to update for this interaction");
    ix.callbacks.push({ type, at: Date.now(), body: b, arrivedHr });
    const ephemeral = ((Number(data.flags) || 0) & 64) !== 0;
    if (type === 4) {
      if (!hasSomething(data, files)) return fail(400, 50006, "Cannot send an empty message");
      ix.original = this.storeMessage(
        String(ix.payload.channel_id),
        { ...this.botUser, bot: true },
        this.messageFields(data, files),
        ix,
        ephemeral ? ix.user.id : null,
      );
    } else if (type === 5) {
      // The deferred reply's ephemerality is fixed now, whatever the later edit says.
      ix.original = this.storeMessage(
        String(ix.payload.channel_id),
        { ...this.botUser, bot: true },
        { content: "" },
        ix,
        ephemeral ? ix.user.id : null,
      );
      ix.original.flags |= 128; // LOADING
    } else if (type === 7 && ix.original) {
      this.applyEdit(ix.original, data, files);
    } else if (type === 9) {
      ix.modal = data as NonNullable<InteractionRecord["modal"]>;
    } else if (type === 8) {
      ix.choices = (data.choices ?? []) as InteractionRecord["choices"];
      if ((ix.choices?.length ?? 0) > 25) return fail(400, 50035, "more than 25 autocomplete choices");
    }
    // A deferral is settled by the next edit of whatever @original now points at.
    ix.editsAtAck = ix.original?.edits ?? 0;
    if (url.searchParams.get("with_response") === "true")
      return reply(200, {
        interaction: {
          id: ix.id,
          type: ix.type,
          activity_instance_id: null,
          response_message_id: ix.original?.id ?? null,
          response_message_loading: type === 5,
          response_message_ephemeral: ephemeral,
        },
        resource: {
          type,
          ...(ix.original && (type === 4 || type === 7) ? { message: this.messagePayload(ix.original) } : {}),
        },
      });
    return reply(204);
  }

  private messageFields(b: Record<string, unknown>, files: UploadedFile[]): Partial<StoredMessage> {
    return {
      content: typeof b.content === "string" ? b.content : "",
      components: Array.isArray(b.components) ? b.components : [],
      embeds: Array.isArray(b.embeds) ? b.embeds : [],
      attachments: files.map((f) => this.upload(f.filename, f.data)),
      flags: Number(b.flags) || 0,
      allowed_mentions: b.allowed_mentions ?? null,
    };
  }

  private applyEdit(msg: StoredMessage, b: Record<string, unknown>, files: UploadedFile[]): void {
    if ("content" in b) msg.content = typeof b.content === "string" ? b.content : "";
    if ("components" in b) msg.components = Array.isArray(b.components) ? b.components : [];
    if ("embeds" in b) msg.embeds = Array.isArray(b.embeds) ? b.embeds : [];
    if ("allowed_mentions" in b) msg.allowed_mentions = b.allowed_mentions;
    if ("attachments" in b || files.length > 0) {
      // Kept: existing attachments listed by id; new ones: the uploaded files.
      const keep = new Set(((b.attachments ?? []) as { id: string | number }[]).map((a) => String(a.id)));
      msg.attachments = [
        ...msg.attachments.filter((a) => keep.has(a.id)),
        ...files.map((f) => this.upload(f.filename, f.data)),
      ];
    }
    msg.flags &= ~128;
    msg.edits += 1;
  }

  private upload(filename: string, data: Buffer): StoredAttachment {
    const id = snowflake();
    const att: StoredAttachment = {
      id,
      filename,
      size: data.length,
      url: `${this.url}/attachments/${id}/${encodeURIComponent(filename)}`,
      content_type: filename.endsWith(".txt")
        ? "text/plain; charset=utf-8"
        : filename.endsWith(".py")
          ? "text/x-python; charset=utf-8"
          : "application/octet-stream",
      data,
    };
    this.uploads.set(id, att);
    return att;
  }

  private storeMessage(
    channelId: string,
    author: StoredMessage["author"],
    fields: Partial<StoredMessage>,
    ix?: InteractionRecord,
    visibleTo: string | null = null,
  ): StoredMessage {
    const msg: StoredMessage = {
      id: snowflake(),
      channel_id: channelId,
      author,
      content: "",
      components: [],
      embeds: [],
      attachments: [],
      flags: 0,
      allowed_mentions: null,
      interactionId: ix?.id ?? null,
      visibleTo,
      edits: 0,
      deleted: false,
      createdAt: Date.now(),
      ...fields,
    };
    if (visibleTo) msg.flags |= 64;
    this.messages.set(msg.id, msg);
    return msg;
  }

  messagePayload(msg: StoredMessage): Record<string, unknown> {
    return {
      id: msg.id,
      type: msg.interactionId ? 20 : 0,
      channel_id: msg.channel_id,
      guild_id: this.guildId,
      author: { ...this.userPayload(msg.author), bot: msg.author.bot },
      content: msg.content,
      timestamp: new Date(msg.createdAt).toISOString(),
      edited_timestamp: msg.edits > 0 ? new Date().toISOString() : null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: msg.attachments.map(({ data: _data, ...a }) => a),
      embeds: msg.embeds,
      components: msg.components,
      pinned: false,
      flags: msg.flags,
      ...(msg.interactionId ? { application_id: this.applicationId, webhook_id: this.applicationId } : {}),
    };
  }

  /** Serves uploaded files (the bot downloads .py attachments from here). */
  attachmentData(id: string): StoredAttachment | undefined {
    return this.uploads.get(id);
  }
}

// ---------------------------------------------------------------- helpers

interface FlatComponent {
  type: number;
  custom_id?: string;
  label?: string;
  disabled?: boolean;
}

export function allComponents(components: unknown[]): FlatComponent[] {
  const out: FlatComponent[] = [];
  const visit = (c: FlatComponent & { components?: unknown[] }) => {
    out.push(c);
    for (const child of c.components ?? []) visit(child as FlatComponent);
  };
  for (const c of components) visit(c as FlatComponent);
  return out;
}

/** Button labels of a message, in order (for assertions and error messages). */
export function labels(msg: StoredMessage): string[] {
  return allComponents(msg.components)
    .filter((c) => c.type === 2)
    .map((c) => c.label ?? "");
}

function hasSomething(b: Record<string, unknown>, files: unknown[]): boolean {
  return (
    (typeof b.content === "string" && b.content.length > 0) ||
    (Array.isArray(b.embeds) && b.embeds.length > 0) ||
    (Array.isArray(b.components) && b.components.length > 0) ||
    files.length > 0 ||
    (Array.isArray(b.attachments) && b.attachments.length > 0)
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file part of a multipart request (attachments). */
interface UploadedFile {
  name: string;
  filename: string;
  data: Buffer;
  type: string;
}

/** Answers a REST request with a status and JSON body. */
type Reply = (status: number, json?: unknown) => void;
/** Answers a REST request with one of Discord's error bodies. */
type Fail = (status: number, code: number, message: string) => void;

interface Route {
  name: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  params: Record<string, string | undefined>;
  specPath: string | null;
  needsBotAuth: boolean;
}

const ROUTES: [string, string, RegExp, string | null, boolean][] = [
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
    /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
    "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
    false,
  ],
  [
    "webhookGet",
    "get",
    /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
    null,
    false,
  ],
  [
    "webhookDelete",
    "delete",
    /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)\/messages\/(?<message>@original|\d+)$/,
    null,
    false,
  ],
  [
    "webhookFollowup",
    "post",
    /^\/webhooks\/(?<app>\d+)\/(?<token>[^/]+)$/,
    "/webhooks/{webhook_id}/{webhook_token}",
    false,
  ],
  ["channelPost", "post", /^\/channels\/(?<channel>\d+)\/messages$/, "/channels/{channel_id}/messages", true],
  [
    "channelEdit",
    "patch",
    /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/,
    "/channels/{channel_id}/messages/{message_id}",
    true,
  ],
  ["channelDelete", "delete", /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/, null, true],
  ["channelGetMessage", "get", /^\/channels\/(?<channel>\d+)\/messages\/(?<message>\d+)$/, null, true],
  ["channelGet", "get", /^\/channels\/(?<channel>\d+)$/, null, true],
];

function matchRoute(method: string, path: string): Route | null {
  for (const [name, m, re, specPath, needsBotAuth] of ROUTES) {
    if (m !== method.toLowerCase()) continue;
    const match = re.exec(path);
    if (match)
      return { name, method: m as Route["method"], params: { ...match.groups }, specPath, needsBotAuth };
  }
  return null;
}

// The local Discord's state: one guild with its channels and members, the registered commands, messages,
// uploads and interactions, and every request and broken rule. Each change emits "change", which the
// waiting helpers of tests and the playground's live page listen to.
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { userPayload } from "./permissions.js";
import {
  type InteractionRecord,
  type RecordedRequest,
  type RegisteredCommand,
  type StandInRole,
  type StandInUser,
  type StoredAttachment,
  type StoredMessage,
  snowflake,
  type UploadedFile,
} from "./types.js";

/** Discord answers an interaction's first response only within this time. */
export const INITIAL_DEADLINE_MS = 3000;
/** An interaction token (follow-ups, edits of @original) is valid this long. */
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
/** The message flag of an ephemeral message. */
export const EPHEMERAL = 64;
/** The message flag of a deferred reply still "thinking". */
export const LOADING = 128;

/** The guild's text channels, by the key tests use, with the names members see. */
const CHANNEL_NAMES = { general: "general", lessons: "python-lessons", random: "random" } as const;

export interface StateOptions {
  token?: string;
  applicationId?: string;
  /** The guild's id (its shard follows from it: see gateway.ts); default: a new snowflake. */
  guildId?: string;
}

export class DiscordState extends EventEmitter {
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: { id: string; username: string };
  readonly guildId: string;
  readonly channels = { general: snowflake(), lessons: snowflake(), random: snowflake() };
  readonly users = new Map<string, StandInUser>();
  /** The guild's roles beside @everyone, by name. */
  readonly roles = new Map<string, StandInRole>();
  readonly requests: RecordedRequest[] = [];
  /** Every rule the bot broke (schema, limits, timing, double responses); a clean run leaves it empty. */
  readonly violations: string[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly commands = { global: [] as RegisteredCommand[], guild: [] as RegisteredCommand[] };
  /** Every IDENTIFY the bot sent, with its shard ([0, 1] when unsharded). */
  readonly identifies: { intents: number; at: number; shard: [number, number] }[] = [];
  protected port = 0;
  private uploads = new Map<string, StoredAttachment>();

  constructor(options: StateOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.token = options.token ?? `standin.${randomBytes(12).toString("hex")}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.botUser = { id: this.applicationId, username: "tutor" };
    this.guildId = options.guildId ?? snowflake();
    this.addUser("mod", { moderator: true });
    for (const name of ["alice", "bob", "carol"]) this.addUser(name);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  addUser(username: string, opts: { moderator?: boolean } = {}): StandInUser {
    const user = { id: snowflake(), username, moderator: opts.moderator ?? false, roles: [] };
    this.users.set(username, user);
    return user;
  }

  /** Makes a guild role (or returns the one of that name) and gives it to `members`. */
  role(name: string, members: string[] = []): StandInRole {
    let role = this.roles.get(name);
    if (!role) {
      role = { id: snowflake(), name };
      this.roles.set(name, role);
    }
    for (const member of members) {
      const user = this.user(member);
      if (!user.roles.includes(role.id)) user.roles.push(role.id);
    }
    return role;
  }

  user(name: string): StandInUser {
    const u = this.users.get(name);
    if (!u) throw new Error(`stand-in: no user ${name}`);
    return u;
  }

  /** The channel's name as members see it ("python-lessons"), or undefined when the guild has no such channel. */
  channelName(id: string): string | undefined {
    const key = Object.entries(this.channels).find(([, c]) => c === id)?.[0];
    return key === undefined ? undefined : CHANNEL_NAMES[key as keyof typeof CHANNEL_NAMES];
  }

  /** Forgets every message, upload, interaction, request and violation; members, channels and commands stay. */
  clearActivity(): void {
    this.messages.clear();
    this.uploads.clear();
    this.interactions.clear();
    this.requests.length = 0;
    this.violations.length = 0;
    this.emit("change");
  }

  messageFields(b: Record<string, unknown>, files: UploadedFile[]): Partial<StoredMessage> {
    return {
      content: typeof b.content === "string" ? b.content : "",
      components: Array.isArray(b.components) ? b.components : [],
      embeds: Array.isArray(b.embeds) ? b.embeds : [],
      attachments: this.uploadAll(b, files),
      flags: Number(b.flags) || 0,
      allowed_mentions: b.allowed_mentions ?? null,
    };
  }

  applyEdit(msg: StoredMessage, b: Record<string, unknown>, files: UploadedFile[]): void {
    if ("content" in b) msg.content = typeof b.content === "string" ? b.content : "";
    if ("components" in b) msg.components = Array.isArray(b.components) ? b.components : [];
    if ("embeds" in b) msg.embeds = Array.isArray(b.embeds) ? b.embeds : [];
    if ("allowed_mentions" in b) msg.allowed_mentions = b.allowed_mentions;
    if ("attachments" in b || files.length > 0) {
      // Kept: existing attachments listed by id; new ones: the uploaded files.
      const keep = new Set(((b.attachments ?? []) as { id: string | number }[]).map((a) => String(a.id)));
      msg.attachments = [...msg.attachments.filter((a) => keep.has(a.id)), ...this.uploadAll(b, files)];
    }
    msg.flags &= ~LOADING;
    msg.edits += 1;
  }

  /**
   * The files of a multipart body, each with what `attachments` of its payload says of it: part `files[N]`
   * is the entry with id N (its description is the alt text).
   */
  private uploadAll(b: Record<string, unknown>, files: UploadedFile[]): StoredAttachment[] {
    const described = (Array.isArray(b.attachments) ? b.attachments : []) as {
      id?: unknown;
      description?: unknown;
    }[];
    return files.map((f, i) => {
      const index = /\[(\d+)\]/.exec(f.name)?.[1] ?? String(i);
      const entry = described.find((a) => String(a.id) === index);
      return this.upload(
        f.filename,
        f.data,
        typeof entry?.description === "string" ? entry.description : undefined,
      );
    });
  }

  upload(filename: string, data: Buffer, description?: string): StoredAttachment {
    const id = snowflake();
    const att: StoredAttachment = {
      id,
      filename,
      ...(description === undefined ? {} : { description }),
      size: data.length,
      url: `${this.url}/attachments/${id}/${encodeURIComponent(filename)}`,
      content_type: contentTypeOf(filename),
      data,
    };
    this.uploads.set(id, att);
    return att;
  }

  storeMessage(
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
    if (visibleTo) msg.flags |= EPHEMERAL;
    this.messages.set(msg.id, msg);
    return msg;
  }

  /** A message from the bot itself. */
  botMessage(
    channelId: string,
    fields: Partial<StoredMessage>,
    ix?: InteractionRecord,
    visibleTo: string | null = null,
  ): StoredMessage {
    return this.storeMessage(channelId, { ...this.botUser, bot: true }, fields, ix, visibleTo);
  }

  messagePayload(msg: StoredMessage): Record<string, unknown> {
    return {
      id: msg.id,
      type: msg.interactionId ? 20 : 0,
      channel_id: msg.channel_id,
      guild_id: this.guildId,
      author: { ...userPayload(msg.author), bot: msg.author.bot },
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

  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId && !m.deleted);
  }

  /** Interactions created more than 3 s ago that never got an initial response. */
  unanswered(): InteractionRecord[] {
    return [...this.interactions.values()].filter(
      (ix) => ix.callbacks.length === 0 && Date.now() - ix.createdAt > INITIAL_DEADLINE_MS,
    );
  }
}

function contentTypeOf(filename: string): string {
  const ext = filename.slice(filename.lastIndexOf(".") + 1).toLowerCase();
  const types: Record<string, string> = {
    txt: "text/plain; charset=utf-8",
    py: "text/x-python; charset=utf-8",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    svg: "image/svg+xml",
  };
  return types[ext] ?? "application/octet-stream";
}

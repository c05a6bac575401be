// Acting as members: what the Discord client sends when a member runs a slash command, clicks a button,
// picks in a select, submits a modal, posts a message or uses a message command. Each refuses what the
// Discord client would not let a member do (a hidden command, someone else's ephemeral message, a disabled
// button, values outside a menu), so a test or the playground cannot do what no member could.
import { randomBytes } from "node:crypto";
import type { Gateway } from "./gateway.js";
import { BOT_PERMS, MEMBER_PERMS, mayUse, memberPayload, rolePayload } from "./permissions.js";
import type { DiscordState } from "./state.js";
import {
  allComponents,
  type FlatComponent,
  type InteractionRecord,
  labels,
  type RegisteredCommand,
  type StandInUser,
  type StoredMessage,
  snowflake,
} from "./types.js";

export interface SlashOptions {
  user?: string;
  channel?: string;
  /** Leaf option values; `{ channel: id }` is a channel option, `{ role: name }` a role option. */
  options?: Record<string, string | number | boolean | { channel: string } | { role: string }>;
  attachments?: Record<string, { filename: string; content: string | Buffer }>;
  /** Sends it even when Discord would hide the command (to test the bot's own check). */
  bypassPermissions?: boolean;
  focused?: string;
}

export class MemberActions {
  constructor(
    private readonly state: DiscordState,
    private readonly gateway: Gateway,
  ) {}

  private baseInteraction(
    type: number,
    user: StandInUser,
    channelId: string,
    data: unknown,
    message?: unknown,
  ): InteractionRecord {
    const s = this.state;
    const id = snowflake();
    const token = `itok.${randomBytes(16).toString("hex")}`;
    const payload: Record<string, unknown> = {
      id,
      application_id: s.applicationId,
      type,
      data,
      guild_id: s.guildId,
      guild: { id: s.guildId, locale: "en-US", features: [] },
      channel_id: channelId,
      channel: { id: channelId, type: 0, guild_id: s.guildId, name: "channel", flags: 0, permissions: "0" },
      member: memberPayload(user),
      token,
      version: 1,
      app_permissions: BOT_PERMS.toString(),
      locale: "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": s.guildId },
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
    s.interactions.set(id, record);
    return record;
  }

  /** Sends the interaction to the bot; the change lets watchers (the playground) see it at once. */
  private send(record: InteractionRecord): InteractionRecord {
    this.gateway.dispatch("INTERACTION_CREATE", record.payload);
    this.state.emit("change");
    return record;
  }

  findCommand(name: string, type: number): RegisteredCommand {
    const { commands } = this.state;
    const cmd = [...commands.guild, ...commands.global].find((c) => c.name === name && c.type === type);
    if (!cmd) throw new Error(`stand-in: command ${name} (type ${type}) is not registered`);
    return cmd;
  }

  /** A member runs a slash command. `path` is "finally quiz" or "config show" etc.; options are the leaf options. */
  slash(path: string, opts: SlashOptions = {}): InteractionRecord {
    const s = this.state;
    const [name, ...subs] = path.split(" ");
    const cmd = this.findCommand(name ?? "", 1);
    const user = s.user(opts.user ?? "alice");
    if (!opts.bypassPermissions && !mayUse(cmd, user))
      throw new Error(`stand-in: Discord would not show /${name} to ${user.username}`);
    const typeOf = (v: unknown) =>
      typeof v === "number" ? (Number.isInteger(v) ? 4 : 10) : typeof v === "boolean" ? 5 : 3;
    const resolved: Record<string, unknown> = {};
    let leaf: unknown[] = Object.entries(opts.options ?? {}).map(([n, value]) => {
      if (typeof value === "object" && "role" in value) {
        const role = s.roles.get(value.role);
        if (!role) throw new Error(`stand-in: no role ${value.role}`);
        resolved.roles = { ...(resolved.roles as object), [role.id]: rolePayload(role) };
        return { name: n, type: 8, value: role.id };
      }
      if (typeof value === "object") {
        resolved.channels = {
          ...(resolved.channels as object),
          [value.channel]: {
            id: value.channel,
            type: 0,
            name: s.channelName(value.channel) ?? "unknown",
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
        const att = s.upload(file.filename, Buffer.from(file.content));
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
    return this.send(
      this.baseInteraction(opts.focused ? 4 : 2, user, opts.channel ?? s.channels.general, data),
    );
  }

  /** A member posts a message (the bot has no message intent, so only a message command can use it). */
  postMessage(
    username: string,
    content: string,
    opts: { channel?: string; files?: { filename: string; content: string | Buffer }[] } = {},
  ): StoredMessage {
    const s = this.state;
    const user = s.user(username);
    const msg = s.storeMessage(
      opts.channel ?? s.channels.general,
      { id: user.id, username, bot: false },
      {
        content,
        attachments: (opts.files ?? []).map((f) => s.upload(f.filename, Buffer.from(f.content))),
      },
    );
    s.emit("change");
    return msg;
  }

  /** A member uses a message context-menu command ("Run Python") on a message. */
  messageCommand(name: string, message: StoredMessage, username = "alice"): InteractionRecord {
    const cmd = this.findCommand(name, 3);
    const user = this.state.user(username);
    if (!mayUse(cmd, user)) throw new Error(`stand-in: Discord would not show ${name} to ${username}`);
    const data = {
      id: cmd.id,
      name,
      type: 3,
      target_id: message.id,
      resolved: { messages: { [message.id]: this.state.messagePayload(message) } },
    };
    return this.send(this.baseInteraction(2, user, message.channel_id, data));
  }

  /** A member clicks a button of a message. Fails like Discord's client would if there is no such button. */
  click(message: StoredMessage, customId: string, username = "alice"): InteractionRecord {
    const found = this.visibleComponent(message, customId, username);
    if (found.disabled) throw new Error(`stand-in: component ${customId} is disabled`);
    return this.componentInteraction(message, username, { custom_id: customId, component_type: found.type });
  }

  /** A member picks values in a select menu of a message. */
  select(message: StoredMessage, customId: string, values: string[], username = "alice"): InteractionRecord {
    const found = this.visibleComponent(message, customId, username) as FlatComponent & {
      options?: { value: string }[];
      min_values?: number;
      max_values?: number;
    };
    if (found.type !== 3) throw new Error(`stand-in: no select menu ${customId} on message ${message.id}`);
    if (found.disabled) throw new Error(`stand-in: select menu ${customId} is disabled`);
    const known = new Set((found.options ?? []).map((o) => o.value));
    if (values.some((v) => !known.has(v)))
      throw new Error(`stand-in: ${values.join(",")} are not all options of ${customId}`);
    if (values.length < (found.min_values ?? 1) || values.length > (found.max_values ?? 1))
      throw new Error(`stand-in: ${values.length} values is outside the menu's min/max`);
    return this.componentInteraction(message, username, { custom_id: customId, component_type: 3, values });
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

  /** The component a member can reach: the message exists, they may see it, and it holds that component. */
  private visibleComponent(message: StoredMessage, customId: string, username: string): FlatComponent {
    if (message.deleted) throw new Error("stand-in: the message was deleted");
    if (message.visibleTo && message.visibleTo !== this.state.user(username).id)
      throw new Error(`stand-in: ${username} cannot see that ephemeral message`);
    const found = allComponents(message.components).find((c) => c.custom_id === customId);
    if (!found) throw new Error(`stand-in: no component ${customId} on message ${message.id}`);
    return found;
  }

  private componentInteraction(
    message: StoredMessage,
    username: string,
    data: Record<string, unknown>,
  ): InteractionRecord {
    const s = this.state;
    const record = this.baseInteraction(
      3,
      s.user(username),
      message.channel_id,
      data,
      s.messagePayload(message),
    );
    record.original = message;
    return this.send(record);
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
    return this.send(record);
  }
}

// A local Discord: the REST routes and the gateway the bot uses, on 127.0.0.1, strict where Discord is strict.
// It records every request, checks every body (./validation.ts), enforces the interaction rules (the 3-second
// first response, a single initial response, the 15-minute token: ./interactionRules.ts), and lets a test or
// the playground act as members (./memberActions.ts) the way the Discord client would.
// This file puts the parts together: state, HTTP server, gateway, member actions, and helpers to wait.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { Gateway } from "./gateway.js";
import { handleHttp } from "./http.js";
import { MemberActions, type SlashOptions } from "./memberActions.js";
import { rolePayload } from "./permissions.js";
import { DiscordState, type StateOptions } from "./state.js";
import type { InteractionRecord, StandInRole, StoredMessage } from "./types.js";
import { NO_SCHEMA, type SchemaCheck } from "./validation.js";

export { shardOf } from "./gateway.js";
export type { SlashOptions } from "./memberActions.js";
export { mayUse, PERM } from "./permissions.js";
export { EPHEMERAL, INITIAL_DEADLINE_MS, LOADING } from "./state.js";
export * from "./types.js";
export type { SchemaCheck } from "./validation.js";

export interface LocalDiscordOptions extends StateOptions {
  /** Checks bodies against a schema too (the tests pass Discord's OpenAPI description); default: limits only. */
  validator?: SchemaCheck;
}

export class LocalDiscord extends DiscordState {
  readonly validator: SchemaCheck;
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly gateway = new Gateway(this);
  private readonly act = new MemberActions(this, this.gateway);

  constructor(options: LocalDiscordOptions = {}) {
    super(options);
    this.validator = options.validator ?? NO_SCHEMA;
  }

  async start(): Promise<this> {
    this.http = createServer((req, res) => {
      handleHttp(this, this.validator, req, res).catch((err: unknown) => {
        this.violations.push(`stand-in crashed on ${req.method} ${req.url}: ${String(err)}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on("connection", (ws) => this.gateway.handleSocket(ws));
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

  /** Drops the bot's gateway connections (a crash seen from Discord's side): all, or one shard's. */
  dropGateway(shard?: number): void {
    this.gateway.drop(shard);
  }

  /** Makes a guild role (the bot hears of it, as of a role a moderator makes in Discord) and gives it to
   *  `members`; returns the one of that name if it exists. */
  override role(name: string, members: string[] = []): StandInRole {
    const existed = this.roles.has(name);
    const role = super.role(name, members);
    if (!existed && this.gateway.connected) {
      try {
        this.gateway.dispatch("GUILD_ROLE_CREATE", {
          guild_id: this.guildId,
          role: rolePayload(role, this.roles.size),
        });
      } catch {
        // the guild's shard is not connected: like Discord, the event is not kept for it
      }
    }
    return role;
  }

  /** Resolves once a bot has identified on the gateway (after `count` identifies in total). */
  async waitForIdentify(count = 1, timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(
      () => this.identifies.length >= count && this.gateway.connected,
      timeoutMs,
      "IDENTIFY",
    );
  }

  // Acting as members: see ./memberActions.ts.
  slash(path: string, opts: SlashOptions = {}): InteractionRecord {
    return this.act.slash(path, opts);
  }
  postMessage(...args: Parameters<MemberActions["postMessage"]>): StoredMessage {
    return this.act.postMessage(...args);
  }
  messageCommand(name: string, message: StoredMessage, username = "alice"): InteractionRecord {
    return this.act.messageCommand(name, message, username);
  }
  click(message: StoredMessage, customId: string, username = "alice"): InteractionRecord {
    return this.act.click(message, customId, username);
  }
  select(message: StoredMessage, customId: string, values: string[], username = "alice"): InteractionRecord {
    return this.act.select(message, customId, values, username);
  }
  clickLabel(message: StoredMessage, label: string, username = "alice"): InteractionRecord {
    return this.act.clickLabel(message, label, username);
  }
  submitModal(opener: InteractionRecord, values: Record<string, string>): InteractionRecord {
    return this.act.submitModal(opener, values);
  }

  // Waiting for the bot.

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
    return await this.waitUntil(() => settledMessage(ix), timeoutMs, `the reply to interaction ${ix.id}`);
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
}

/** The message an interaction's answer has settled on, or null while it is pending (or "thinking…"). */
export function settledMessage(ix: InteractionRecord): StoredMessage | null {
  const first = ix.callbacks[0];
  if (!first) return null;
  if (first.type === 4 || first.type === 7) return ix.original;
  if ((first.type === 5 || first.type === 6) && ix.original && ix.original.edits > ix.editsAtAck)
    return ix.original;
  return null;
}

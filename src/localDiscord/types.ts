// The local Discord's records: what it stores of members, messages, uploads, interactions and requests.
// Plain data, shared by every module of the local Discord and read by its tests and the playground.

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
  /** Ids of the guild roles the member has (beside @everyone). */
  roles: string[];
}

/** A guild role a moderator made (no permissions of its own: the bot reads roles by id). */
export interface StandInRole {
  id: string;
  name: string;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  /** Its alt text, as the sender described it. */
  description?: string;
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

export interface RegisteredCommand {
  id: string;
  name: string;
  type: number;
  description?: string;
  default_member_permissions?: string | null;
  contexts?: number[] | null;
  options?: unknown[];
  [k: string]: unknown;
}

/** A file part of a multipart request (attachments). */
export interface UploadedFile {
  name: string;
  filename: string;
  data: Buffer;
  type: string;
}

/** A component as the local Discord looks into it: buttons, selects, rows, text inputs. */
export interface FlatComponent {
  type: number;
  custom_id?: string;
  label?: string;
  disabled?: boolean;
}

/** Every component of a message, rows and their children flattened in order. */
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

/** Proof that a REST request was answered: route handlers return it, so the compiler sees every path answer. */
export type Answered = { readonly answered: true };
export const ANSWERED: Answered = { answered: true };
/** Answers a REST request with a status and JSON body. */
export type Reply = (status: number, json?: unknown) => Answered;
/** Answers a REST request with one of Discord's error bodies, and records the broken rule. */
export type Fail = (status: number, code: number, message: string) => Answered;

/** One REST request as a route handler sees it. */
export interface RestCall {
  params: Record<string, string | undefined>;
  body: unknown;
  files: UploadedFile[];
  url: URL;
  reply: Reply;
  fail: Fail;
  /** performance.now() when the request arrived (latency measurements). */
  arrivedHr: number;
}

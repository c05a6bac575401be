// What the playground's page receives over its WebSocket, and what it sends back: the channel as one
// member sees it, and the member's actions. Shared by the server (../playground) and the page (./web).
import type { SlashCommand } from "./slashText.js";

export interface ViewMember {
  username: string;
  /** What the page shows: "Alice", or "Mo (Moderator)". */
  label: string;
  moderator: boolean;
}

export interface ViewAttachment {
  id: string;
  filename: string;
  /** The alt text the bot gave it (a picture's path in words), or null. */
  description: string | null;
  size: number;
  url: string;
  contentType: string;
}

export interface ViewMessage {
  id: string;
  channelId: string;
  author: { id: string; name: string; bot: boolean };
  content: string;
  components: unknown[];
  embeds: unknown[];
  attachments: ViewAttachment[];
  ephemeral: boolean;
  /** A deferred reply still "thinking…". */
  loading: boolean;
  edited: boolean;
  createdAt: number;
  /** The command a bot reply answers ("Alice used /finally quiz", "Bob used Run Python › Alice"). */
  usedCommand: { user: string; command: string; targetAuthor: string | null } | null;
}

/** An interaction of this member that got no answer within 3 s: Discord's client says so. */
export interface ViewFailure {
  id: string;
  channelId: string;
  createdAt: number;
  /** The slash or message command, or null for a button/select/modal (whose message is `messageId`). */
  command: string | null;
  messageId: string | null;
}

export interface ViewModal {
  interactionId: string;
  customId: string;
  title: string;
  fields: {
    customId: string;
    label: string;
    style: number;
    required: boolean;
    minLength: number | null;
    maxLength: number | null;
    placeholder: string;
    value: string;
  }[];
}

export interface MemberView {
  guildName: string;
  botName: string;
  me: string;
  members: ViewMember[];
  channels: { id: string; name: string }[];
  /** Users and channels by id, so mentions render as names (that ping nobody). */
  names: { users: Record<string, string>; channels: Record<string, string> };
  /** Slash commands this member may use, as the bot registered them. */
  commands: SlashCommand[];
  /** Message commands ("Run Python") this member may use. */
  messageCommands: string[];
  messages: ViewMessage[];
  failures: ViewFailure[];
  modal: ViewModal | null;
  /** True while Reset is starting the playground afresh. */
  resetting: boolean;
}

/** What the page asks for, always on behalf of the member it acts as. */
export type PageAction =
  | { kind: "send"; as: string; channelId: string; text: string; file?: { filename: string; base64: string } }
  | { kind: "click"; as: string; messageId: string; customId: string }
  | { kind: "select"; as: string; messageId: string; customId: string; values: string[] }
  | { kind: "submitModal"; as: string; interactionId: string; values: Record<string, string> }
  | { kind: "closeModal"; as: string; interactionId: string }
  | { kind: "messageCommand"; as: string; messageId: string; name: string }
  | { kind: "reset" };

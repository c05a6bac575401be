// The channel as one member sees it, computed from the local Discord's state: someone else's ephemeral
// messages left out, the modal this member has open, the commands Discord would show them, and their
// interactions that got no answer in 3 s. Pure: it reads the state and returns data for the page.
import {
  EPHEMERAL,
  INITIAL_DEADLINE_MS,
  LOADING,
  type LocalDiscord,
  mayUse,
  type StandInUser,
  type StoredMessage,
} from "../localDiscord/server.js";
import type { SlashCommand } from "./slashText.js";
import type { MemberView, ViewFailure, ViewMessage, ViewModal } from "./viewTypes.js";

/** The name the page shows for a member: "Alice", or "Moderator" for the moderator. */
export function memberLabel(user: Pick<StandInUser, "username" | "moderator">): string {
  return user.moderator ? "Moderator" : user.username.charAt(0).toUpperCase() + user.username.slice(1);
}

export interface ViewExtras {
  /** Modals the member closed or submitted (Discord's client forgets them). */
  closedModals: ReadonlySet<string>;
  resetting: boolean;
  now: number;
}

export function memberView(local: LocalDiscord, username: string, extras: ViewExtras): MemberView {
  const me = local.user(username);
  const users: Record<string, string> = { [local.botUser.id]: local.botUser.username };
  for (const u of local.users.values()) users[u.id] = memberLabel(u);
  const channels = Object.values(local.channels).map((id) => ({ id, name: local.channelName(id) ?? id }));
  const registered = [...local.commands.guild, ...local.commands.global].filter((c) => mayUse(c, me));
  return {
    guildName: "Python study group",
    botName: local.botUser.username,
    me: username,
    members: [...local.users.values()].map((u) => ({
      username: u.username,
      label: memberLabel(u),
      moderator: u.moderator,
    })),
    channels,
    names: { users, channels: Object.fromEntries(channels.map((c) => [c.id, c.name])) },
    commands: registered.filter((c) => c.type === 1) as SlashCommand[],
    messageCommands: registered.filter((c) => c.type === 3).map((c) => c.name),
    messages: [...local.messages.values()]
      .filter((m) => !m.deleted && (m.visibleTo === null || m.visibleTo === me.id))
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((m) => viewMessage(local, m, users)),
    failures: failures(local, me, extras.now),
    modal: openModal(local, me, extras.closedModals),
    resetting: extras.resetting,
  };
}

function viewMessage(local: LocalDiscord, m: StoredMessage, users: Record<string, string>): ViewMessage {
  const ix = m.interactionId ? local.interactions.get(m.interactionId) : undefined;
  const data = ix?.payload.data as
    | { name?: string; type?: number; options?: unknown[]; target_id?: string }
    | undefined;
  const target = data?.target_id ? local.messages.get(data.target_id) : undefined;
  return {
    id: m.id,
    channelId: m.channel_id,
    author: { id: m.author.id, name: users[m.author.id] ?? m.author.username, bot: m.author.bot },
    content: m.content,
    components: m.components,
    embeds: m.embeds,
    attachments: m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      description: a.description ?? null,
      size: a.size,
      // Served by the page's own server: the local Discord listens on 127.0.0.1 only.
      url: `attachments/${a.id}/${encodeURIComponent(a.filename)}`,
      contentType: a.content_type,
    })),
    ephemeral: (m.flags & EPHEMERAL) !== 0,
    loading: (m.flags & LOADING) !== 0,
    // The edit that settles a deferred reply is not shown as an edit; later ones are.
    edited: m.edits > (ix?.callbacks[0]?.type === 5 && ix.original === m ? 1 : 0),
    createdAt: m.createdAt,
    usedCommand:
      ix && ix.type === 2 && data?.name && ix.original === m
        ? {
            user: users[ix.user.id] ?? ix.user.username,
            command: commandText(data),
            targetAuthor: target ? (users[target.author.id] ?? target.author.username) : null,
          }
        : null,
  };
}

/** "/finally quiz" or "Run Python" for a command interaction's data. */
function commandText(data: { name?: string; type?: number; options?: unknown[] }): string {
  if (data.type === 3) return data.name ?? "";
  const parts = [data.name ?? ""];
  let options = data.options as { type: number; name: string; options?: unknown[] }[] | undefined;
  while (options?.[0] && (options[0].type === 1 || options[0].type === 2)) {
    parts.push(options[0].name);
    options = options[0].options as typeof options;
  }
  return `/${parts.join(" ")}`;
}

function failures(local: LocalDiscord, me: StandInUser, now: number): ViewFailure[] {
  return [...local.interactions.values()]
    .filter(
      (ix) =>
        ix.user.id === me.id &&
        ix.type !== 4 && // autocomplete has no visible failure
        ix.callbacks.length === 0 &&
        now - ix.createdAt > INITIAL_DEADLINE_MS,
    )
    .map((ix) => {
      const data = ix.payload.data as { name?: string; type?: number; options?: unknown[] };
      return {
        id: ix.id,
        channelId: String(ix.payload.channel_id),
        createdAt: ix.createdAt,
        command: ix.type === 2 ? commandText(data) : null,
        messageId: ix.original?.id ?? null,
      };
    });
}

interface TextInput {
  type: number;
  custom_id: string;
  label?: string;
  style?: number;
  required?: boolean;
  min_length?: number;
  max_length?: number;
  placeholder?: string;
  value?: string;
}

function openModal(local: LocalDiscord, me: StandInUser, closed: ReadonlySet<string>): ViewModal | null {
  const open = [...local.interactions.values()]
    .filter((ix) => ix.user.id === me.id && ix.modal && !closed.has(ix.id))
    .at(-1);
  if (!open?.modal) return null;
  const rows = open.modal.components as {
    type: number;
    label?: string;
    components?: TextInput[];
    component?: TextInput;
  }[];
  // Rows of one text input (classic), or label components (type 18) holding one.
  const inputs = rows.flatMap((row) =>
    row.type === 18 && row.component
      ? [{ ...row.component, label: row.label ?? row.component.label }]
      : (row.components ?? []),
  );
  return {
    interactionId: open.id,
    customId: open.modal.custom_id,
    title: open.modal.title,
    fields: inputs
      .filter((c) => c.type === 4)
      .map((c) => ({
        customId: c.custom_id,
        label: c.label ?? c.custom_id,
        style: c.style ?? 1,
        required: c.required ?? true,
        minLength: c.min_length ?? null,
        maxLength: c.max_length ?? null,
        placeholder: c.placeholder ?? "",
        value: c.value ?? "",
      })),
  };
}

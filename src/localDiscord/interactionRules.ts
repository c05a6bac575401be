// The interaction rules Discord enforces on the bot's answers: one initial response within 3 s, of a type
// valid for the interaction; ephemerality fixed by that response; a deferral ("thinking…") settled by a
// later edit; follow-ups, edits and deletes through the interaction's webhook for 15 minutes after.
import { type DiscordState, EPHEMERAL, INITIAL_DEADLINE_MS, LOADING, TOKEN_LIFETIME_MS } from "./state.js";
import type { Answered, InteractionRecord, RestCall, UploadedFile } from "./types.js";

/** Callback types allowed per interaction type (2 command, 3 component, 4 autocomplete, 5 modal submit). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

/** POST /interactions/{id}/{token}/callback: the interaction's one initial response. */
export function interactionCallback(s: DiscordState, call: RestCall): Answered {
  const { params, files, url, reply, fail, arrivedHr } = call;
  const b = (call.body ?? {}) as Record<string, unknown>;
  const ix = s.interactions.get(params.id ?? "");
  if (!ix || ix.token !== params.token) return fail(404, 10062, "Unknown interaction");
  const elapsed = Date.now() - ix.createdAt;
  if (ix.callbacks.length === 0 && elapsed > INITIAL_DEADLINE_MS)
    return fail(404, 10062, `Unknown interaction (first response after ${elapsed} ms, limit 3000)`);
  if (ix.callbacks.length > 0) return fail(400, 40060, "Interaction has already been acknowledged.");
  const type = Number(b.type);
  const data = (b.data ?? {}) as Record<string, unknown>;
  if (!(ALLOWED_CALLBACKS[ix.type] ?? []).includes(type))
    return fail(400, 50035, `callback type ${type} is not valid for interaction type ${ix.type}`);
  if ((type === 6 || type === 7) && !ix.original)
    return fail(400, 50035, "no message to update for this interaction");
  ix.callbacks.push({ type, at: Date.now(), body: b, arrivedHr });
  const ephemeral = ((Number(data.flags) || 0) & EPHEMERAL) !== 0;
  const channelId = String(ix.payload.channel_id);
  const visibleTo = ephemeral ? ix.user.id : null;
  if (type === 4) {
    if (!hasSomething(data, files)) return fail(400, 50006, "Cannot send an empty message");
    ix.original = s.botMessage(channelId, s.messageFields(data, files), ix, visibleTo);
  } else if (type === 5) {
    // The deferred reply's ephemerality is fixed now, whatever the later edit says.
    ix.original = s.botMessage(channelId, { content: "" }, ix, visibleTo);
    ix.original.flags |= LOADING;
  } else if (type === 7 && ix.original) {
    s.applyEdit(ix.original, data, files);
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
        ...(ix.original && (type === 4 || type === 7) ? { message: s.messagePayload(ix.original) } : {}),
      },
    });
  return reply(204);
}

/** The interaction webhook: follow-ups (POST), and GET/PATCH/DELETE of @original or a follow-up. */
export function interactionWebhook(
  s: DiscordState,
  action: "followup" | "get" | "edit" | "delete",
  call: RestCall,
): Answered {
  const { params: p, files, reply, fail } = call;
  const b = (call.body ?? {}) as Record<string, unknown>;
  const ix = [...s.interactions.values()].find((i) => i.token === p.token);
  if (p.app !== s.applicationId || !ix) return fail(404, 10015, "Unknown Webhook");
  if (Date.now() - ix.createdAt > TOKEN_LIFETIME_MS) return fail(401, 50027, "Invalid Webhook Token");
  if (ix.callbacks.length === 0) return fail(404, 10015, "Unknown Webhook (no initial response yet)");
  if (action === "followup") {
    const ephemeral = ((Number(b.flags) || 0) & EPHEMERAL) !== 0;
    const msg = s.botMessage(
      String(ix.payload.channel_id),
      s.messageFields(b, files),
      ix,
      ephemeral ? ix.user.id : null,
    );
    ix.followups.push(msg);
    return reply(200, s.messagePayload(msg));
  }
  const target = p.message === "@original" ? ix.original : s.messages.get(p.message ?? "");
  if (!target || target.deleted) return fail(404, 10008, "Unknown Message");
  if (action === "get") return reply(200, s.messagePayload(target));
  if (action === "delete") {
    target.deleted = true;
    return reply(204);
  }
  s.applyEdit(target, b, files);
  return reply(200, s.messagePayload(target));
}

/** Discord refuses a message with nothing in it. */
export function hasSomething(b: Record<string, unknown>, files: UploadedFile[]): boolean {
  return (
    (typeof b.content === "string" && b.content.length > 0) ||
    (Array.isArray(b.embeds) && b.embeds.length > 0) ||
    (Array.isArray(b.components) && b.components.length > 0) ||
    files.length > 0 ||
    (Array.isArray(b.attachments) && b.attachments.length > 0)
  );
}

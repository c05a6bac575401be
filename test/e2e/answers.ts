// Test helpers that answer quiz messages right or wrong, knowing the truth from the quiz engine (which
// derived it by running the lesson's code in the sandbox), never from the bot's reply.
import type { InteractionRecord, StoredMessage } from "../standin/server.js";
import { allComponents } from "../standin/server.js";
import type { Harness } from "./harness.js";

interface Control {
  customId: string;
  type: number;
  options: string[];
}

function controls(msg: StoredMessage): Control[] {
  return allComponents(msg.components)
    .filter((c) => c.custom_id && (c.type === 2 || c.type === 3))
    .map((c) => ({
      customId: c.custom_id ?? "",
      type: c.type,
      options: ((c as { options?: { value: string }[] }).options ?? []).map((o) => o.value),
    }));
}

/** The question key and seed behind a solo (qa/qm) or group (ga/gm) question message. */
export async function questionOf(
  h: Pick<Harness, "bot">,
  msg: StoredMessage,
): Promise<{ key: string; seed: string; group: number | null }> {
  const c = controls(msg).find((x) => /^(qa|qm|ga|gm):/.test(x.customId));
  if (!c) throw new Error(`not a question message: ${msg.content.slice(0, 80)}`);
  const [kind, a = "", b = ""] = c.customId.split(":");
  if (kind === "qa" || kind === "qm") return { key: a, seed: b, group: null };
  const round = await h.bot.services.rounds.get(Number(a));
  if (!round) throw new Error(`round ${a} not in the database`);
  return { key: round.questionKey, seed: round.seed, group: round.id };
}

export async function truthOf(h: Pick<Harness, "bot" | "engine">, msg: StoredMessage): Promise<string[]> {
  const q = await questionOf(h, msg);
  return h.engine.answer({ key: q.key, seed: q.seed, choiceIds: [] }).correctChoiceIds;
}

/** Answers a question message, right or wrong, as `user`; returns the interaction and the ids chosen. */
export async function answer(
  h: Harness,
  msg: StoredMessage,
  user: string,
  right: boolean,
): Promise<{ ix: InteractionRecord; chosen: string[] }> {
  const truth = await truthOf(h, msg);
  const menu = controls(msg).find((c) => c.type === 3);
  if (menu) {
    const wrong = menu.options.filter((o) => !truth.includes(o));
    const chosen = right ? truth : wrong.length > 0 ? [...truth, wrong[0] ?? ""] : truth.slice(1);
    return { ix: h.standin.select(msg, menu.customId, chosen, user), chosen };
  }
  const buttons = controls(msg).filter((c) => /^(qa|ga):/.test(c.customId));
  const pick =
    buttons.find((b) => truth.includes(b.customId.split(":").at(-1) ?? "") === right) ??
    buttons.find((b) => truth.includes(b.customId.split(/:/)[3] ?? "") === right);
  const choiceOf = (id: string) =>
    id.startsWith("qa:") ? (id.split(":")[3] ?? "") : (id.split(":")[2] ?? "");
  const button = buttons.find((b) => truth.includes(choiceOf(b.customId)) === right) ?? pick;
  if (!button) throw new Error("no button to click");
  return { ix: h.standin.click(msg, button.customId, user), chosen: [choiceOf(button.customId)] };
}

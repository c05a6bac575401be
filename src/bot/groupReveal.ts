// The text a closed group round is edited into: the question, the answer, the share per choice, who was
// right and who was fastest, and the explanation. Pure: scoring and storing happen in groupRounds.ts.
import type { PresentedQuestion } from "../quiz/types.js";
import type { RoundAnswer } from "../store/rounds.js";
import { MESSAGE_CONTENT_MAX } from "./discordLimits.js";
import { clip } from "./format.js";
import { choiceNames, questionMessageText } from "./quizView.js";

/** A member who chose right, and how long after the start of the round. */
export interface RightAnswer {
  userId: string;
  ms: number;
}

export interface RoundReveal {
  question: PresentedQuestion;
  /** The lesson's command (without the slash), or the lesson id when the lesson is gone. */
  command: string;
  /** Said after the title, e.g. "closed after a restart of the bot"; "" for none. */
  note: string;
  answers: RoundAnswer[];
  correctChoiceIds: string[];
  right: RightAnswer[];
  explanation: string;
}

const elapsed = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

export function revealText(r: RoundReveal): string {
  const q = r.question;
  const total = r.answers.length;
  const bars = q.choices
    .map((c) => {
      const n = r.answers.filter((a) => a.choice.split(",").includes(c.id)).length;
      const pct = total > 0 ? Math.round((100 * n) / total) : 0;
      const bar = "▰".repeat(Math.round(pct / 10)) + "▱".repeat(10 - Math.round(pct / 10));
      // A clause choice's id is its text ("try"): said once, not "try try".
      const text =
        c.text === c.label && c.text !== c.id && !c.text.includes("\n") ? ` ${clip(c.text, 50)}` : "";
      return `${r.correctChoiceIds.includes(c.id) ? "✅" : "▫️"} **${c.id}**${text} ${bar} ${n} (${pct}%)`;
    })
    .join("\n");
  const right = [...r.right].sort((a, b) => a.ms - b.ms);
  const fastest = right[0];
  const who =
    total === 0
      ? "Nobody answered this time."
      : right.length === 0
        ? `Nobody got it right (${total} answered).`
        : `Right (${right.length}/${total}): ${right.map((a) => `<@${a.userId}>`).join(", ")} · ⚡ Fastest: <@${fastest?.userId}> (${elapsed(fastest?.ms ?? 0)})`;
  const title = `👥 **Group round closed** · /${r.command}${r.note ? ` · ${r.note}` : ""}`;
  const head = questionMessageText(q, title, "", 900);
  return clip(
    [
      head,
      `**Answer:** ${choiceNames(q, r.correctChoiceIds)}`,
      bars,
      clip(who, 400),
      clip(r.explanation, 500),
    ].join("\n"),
    MESSAGE_CONTENT_MAX,
  );
}

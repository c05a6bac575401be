// What a member reads for /progress: totals, the streak of days, per-lesson progress and the questions
// they missed, each with the command that practises it. Always within one message (MESSAGE_CONTENT_MAX).
import type { Lesson } from "../lessons/types.js";
import type { MemberProgress, MissedQuestion } from "../quiz/types.js";
import { COMMAND_CHOICE_NAME_MAX, MESSAGE_CONTENT_MAX } from "./discordLimits.js";
import { clip } from "./format.js";

/** At most this many missed questions are listed; the rest are counted. */
export const MISSED_SHOWN = 5;

export const NOTHING_YET =
  "You have not answered any question here yet. Try `/finally quiz` (or any lesson's `quiz`) to start your streak 🔥.";

/** A Discord timestamp: each reader sees it in their own time zone ("3 hours ago", "in 10 minutes"). */
const relative = (ms: number) => `<t:${Math.floor(ms / 1000)}:R>`;

function dayCount(n: number): string {
  return `${n} day${n === 1 ? "" : "s"}`;
}

function streakLine(p: MemberProgress): string {
  const { current, best, activeToday } = p.streak;
  const bestPart = `best ${dayCount(best)}`;
  if (current === 0)
    return `🔥 Streak: **0 days** (${bestPart}): answer a question today to start a new one.`;
  const today = activeToday ? "you studied today" : "answer a question today to keep it";
  return `🔥 Streak: **${dayCount(current)}** (${bestPart}): ${today}.`;
}

function missedLine(m: MissedQuestion, lessons: Lesson[], now: number): string {
  const command = lessons.find((l) => l.id === m.lessonId)?.command;
  const due = m.dueAt <= now ? "due now" : `due again ${relative(m.dueAt)}`;
  // Backticks are dropped (not escaped) in the command: nothing can escape a backtick inside inline code.
  const practise = command
    ? `\n  ↳ \`/${command} quiz section:${clip(m.sectionTitle, COMMAND_CHOICE_NAME_MAX).replace(/`/g, "")}\``
    : "";
  return `• **${clip(m.sectionTitle, 80)}**: ${m.prompt} · missed ${relative(m.missedAt)}, ${due}${practise}`;
}

export function progressText(p: MemberProgress, lessons: Lesson[], now: number): string {
  if (p.answered === 0) return NOTHING_YET;
  const head = [
    `**Your progress** · ${p.correct}/${p.answered} right · ${p.points} points`,
    streakLine(p),
    ...p.lessons.map((l) => `• **${l.title}**: ${l.seen}/${l.total} questions seen, ${l.mastered} mastered`),
  ];
  const render = (shown: number) => {
    if (p.missed.length === 0)
      return [
        ...head,
        "✅ No missed question waiting: every question you got wrong, you have since got right.",
      ].join("\n");
    const list = p.missed.slice(0, shown).map((m) => missedLine(m, lessons, now));
    const more = p.missed.length - shown;
    return [
      ...head,
      `**Missed questions** (${p.missed.length}): they come back first in your next quiz.`,
      ...list,
      ...(more > 0 ? [`…and ${more} more.`] : []),
    ].join("\n");
  };
  // Fewer missed questions rather than a cut line; the final clip only guards against very many lessons.
  let shown = Math.min(MISSED_SHOWN, p.missed.length);
  let text = render(shown);
  while (text.length > MESSAGE_CONTENT_MAX && shown > 0) text = render(--shown);
  return clip(text, MESSAGE_CONTENT_MAX);
}

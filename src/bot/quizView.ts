// How a quiz question looks on Discord: the text, and the answer buttons (or a select menu when several
// choices may be picked). Shared by solo questions, group rounds and the daily post.
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
} from "discord.js";
import type { PresentedQuestion } from "../quiz/types.js";
import {
  ACTION_ROWS_MAX,
  BUTTON_LABEL_MAX,
  BUTTONS_PER_ROW,
  MESSAGE_CONTENT_MAX,
  SELECT_OPTION_LABEL_MAX,
  SELECT_OPTIONS_MAX,
} from "./discordLimits.js";
import { clip, codeBlock } from "./format.js";

/** The question as a Discord message's content: prompt, code and (when buttons only carry a letter) every
 *  choice in full. (The plain-text preview of the CLI is src/quiz/text.ts.) */
export function questionMessageText(q: PresentedQuestion, title: string, footer = "", budget = 1900): string {
  const longChoices = q.choices.some((c) => c.text !== c.label || c.text.includes("\n"));
  const choices = longChoices ? q.choices.map((c) => `**${c.id}**\n${codeBlock(c.text)}`).join("\n") : "";
  const fixed = [
    title,
    `**${q.prompt}**`,
    choices,
    q.multi ? "-# Pick every choice that applies." : "",
    footer,
  ];
  const room = budget - fixed.join("\n").length - 10;
  const code = codeBlock(clip(q.code, Math.max(200, room)), "py");
  return clip(
    [title, `**${q.prompt}**`, code, choices, q.multi ? "-# Pick every choice that applies." : "", footer]
      .filter((p) => p.length > 0)
      .join("\n"),
    MESSAGE_CONTENT_MAX,
  );
}

/** The Hint and Skip buttons' custom_ids, and whether the hint is already shown. */
export interface HelpControls {
  hintId: string;
  skipId: string;
  hintShown: boolean;
}

/**
 * Answer controls; `idFor(choiceId)` makes each button's custom_id, `selectId` the select menu's. With `help`,
 * a last row holds Hint and Skip, the same for every kind of question (buttons or the select menu).
 */
export function answerRows(
  q: PresentedQuestion,
  idFor: (choiceId: string) => string,
  selectId: string,
  help?: HelpControls,
): ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>[] {
  const rows: ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>[] = choiceRows(q, idFor, selectId);
  if (help) rows.push(helpRow(help));
  return rows;
}

function helpRow(help: HelpControls): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(help.hintId)
      .setLabel(help.hintShown ? "Hint shown" : "Hint")
      .setEmoji("💡")
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(help.hintShown),
    new ButtonBuilder().setCustomId(help.skipId).setLabel("Skip").setStyle(ButtonStyle.Secondary),
  );
}

/** At most 4 rows, so a help row always fits Discord's 5. */
function choiceRows(
  q: PresentedQuestion,
  idFor: (choiceId: string) => string,
  selectId: string,
): ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>[] {
  if (q.multi) {
    const menu = new StringSelectMenuBuilder()
      .setCustomId(selectId)
      .setPlaceholder("Choose every clause that runs")
      .setMinValues(1)
      .setMaxValues(Math.min(q.choices.length, SELECT_OPTIONS_MAX))
      .addOptions(
        q.choices
          .slice(0, SELECT_OPTIONS_MAX)
          .map((c) =>
            new StringSelectMenuOptionBuilder()
              .setLabel(clip(c.label, SELECT_OPTION_LABEL_MAX))
              .setValue(c.id),
          ),
      );
    return [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)];
  }
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  // Answers fill at most all rows but one, which stays free for the question's other controls.
  q.choices.slice(0, BUTTONS_PER_ROW * (ACTION_ROWS_MAX - 1)).forEach((c, i) => {
    if (i % BUTTONS_PER_ROW === 0) rows.push(new ActionRowBuilder<ButtonBuilder>());
    const label =
      c.text !== c.label || c.text.includes("\n") ? c.id : clip(`${c.id}: ${c.label}`, BUTTON_LABEL_MAX);
    rows[rows.length - 1]?.addComponents(
      new ButtonBuilder().setCustomId(idFor(c.id)).setLabel(label).setStyle(ButtonStyle.Secondary),
    );
  });
  return rows;
}

/** "B: `text`" for the right answer(s). */
export function choiceNames(q: PresentedQuestion, ids: string[]): string {
  return ids
    .map((id) => {
      const c = q.choices.find((x) => x.id === id);
      return c && c.text !== id && !c.text.includes("\n") ? `**${id}** (${clip(c.text, 80)})` : `**${id}**`;
    })
    .join(", ");
}

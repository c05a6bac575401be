// Discord's numeric limits, each once. The bot clips or checks against these names, never a bare number.
// Source: Discord's API reference (messages, components, application commands).

/** Characters in a message's content. */
export const MESSAGE_CONTENT_MAX = 2000;
/** Characters in a component's custom_id. */
export const CUSTOM_ID_MAX = 100;
/** Characters in an embed's description, and in all the embeds of one message together. */
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBEDS_TOTAL_MAX = 6000;
/** Characters in a modal text input's value. */
export const TEXT_INPUT_MAX = 4000;
/** Characters in a button label. */
export const BUTTON_LABEL_MAX = 80;
/** Characters in a select menu option's label. */
export const SELECT_OPTION_LABEL_MAX = 100;
/** Options in a select menu; also choices of a slash command option. */
export const SELECT_OPTIONS_MAX = 25;
export const COMMAND_CHOICES_MAX = 25;
/** Characters in a slash command's description and in a choice's name. */
export const COMMAND_DESCRIPTION_MAX = 100;
export const COMMAND_CHOICE_NAME_MAX = 100;
/** Characters in an attachment's description (its alt text). */
export const ATTACHMENT_DESCRIPTION_MAX = 1024;
/** Buttons in one action row, and action rows in one message. */
export const BUTTONS_PER_ROW = 5;
export const ACTION_ROWS_MAX = 5;

/** Nobody is pinged by text the bot echoes. The client sets it as its default for every interaction reply;
 *  raw REST bodies (a round posted or edited outside an interaction) must say it themselves. */
export const NO_MENTIONS = { parse: [] as never[] };

// One entry for every interaction: commands by name, buttons and modals by the kind in their custom_id.
// Whatever goes wrong, the member gets a short ephemeral answer and the log gets the context.
import {
  type AutocompleteInteraction,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from "discord.js";
import { parseCustomId } from "./customId.js";
import { type BotCommand, type BotServices, type ComponentHandler, StaleComponentError } from "./types.js";

export const STALE_TEXT =
  "This button belongs to something that is over (a finished round, an old reply, or a restart of the bot). Start again with the command.";
export const APOLOGY_TEXT =
  "Sorry, something went wrong on my side. It has been logged; please try again in a moment.";

export class Router {
  private readonly commands = new Map<string, BotCommand>();
  private readonly components = new Map<string, ComponentHandler>();

  constructor(
    commands: BotCommand[],
    components: ComponentHandler[],
    private readonly bot: BotServices,
  ) {
    for (const c of commands) this.commands.set(`${c.data.type ?? 1}:${c.data.name}`, c);
    for (const h of components) this.components.set(h.kind, h);
  }

  async handle(ix: Interaction): Promise<void> {
    const context = describe(ix);
    // Discord forgets an interaction not answered within 3 s; a handler that gets close is a bug to see in the log.
    const watchdog = setTimeout(() => {
      const r = ix as RepliableInteraction;
      if (ix.isRepliable() && !r.replied && !r.deferred)
        this.bot.logger.warn(context, "interaction still unanswered after 2.5 s");
    }, 2500);
    watchdog.unref();
    try {
      if (ix.isAutocomplete()) return await this.autocomplete(ix);
      if (ix.isChatInputCommand() || ix.isMessageContextMenuCommand()) {
        const cmd = this.commands.get(`${ix.commandType}:${ix.commandName}`);
        if (!cmd) throw new StaleComponentError(`unknown command ${ix.commandName}`);
        return await cmd.execute(ix, this.bot);
      }
      if (ix.isButton() || ix.isStringSelectMenu() || ix.isModalSubmit()) {
        const { kind, args } = parseCustomId(ix.customId);
        const handler = this.components.get(kind);
        if (!handler) throw new StaleComponentError(`unknown component kind ${kind}`);
        return await handler.handle(ix, args, this.bot);
      }
    } catch (err) {
      if (err instanceof StaleComponentError) {
        this.bot.logger.info({ ...context, why: err.message }, "stale interaction");
        await this.answer(ix, STALE_TEXT);
        return;
      }
      this.bot.logger.error({ ...context, err }, "interaction failed");
      await this.answer(ix, APOLOGY_TEXT);
    } finally {
      clearTimeout(watchdog);
    }
  }

  private async autocomplete(ix: AutocompleteInteraction): Promise<void> {
    const cmd = this.commands.get(`1:${ix.commandName}`);
    await (cmd?.autocomplete ? cmd.autocomplete(ix, this.bot) : ix.respond([]));
  }

  /** Says something short and ephemeral, whatever state the interaction is in; never throws. */
  private async answer(ix: Interaction, content: string): Promise<void> {
    if (!ix.isRepliable()) return;
    const r = ix as RepliableInteraction;
    try {
      if (r.deferred && !r.replied) {
        await r.editReply({ content, components: [] });
      } else if (r.replied) {
        await r.followUp({ content, flags: MessageFlags.Ephemeral });
      } else {
        await r.reply({ content, flags: MessageFlags.Ephemeral });
      }
    } catch (err) {
      this.bot.logger.warn({ ...describe(ix), err }, "could not tell the member about the failure");
    }
  }
}

function describe(ix: Interaction): Record<string, unknown> {
  return {
    interaction: ix.id,
    type: ix.type,
    command: ix.isCommand() || ix.isAutocomplete() ? ix.commandName : undefined,
    customId: ix.isMessageComponent() || ix.isModalSubmit() ? ix.customId : undefined,
    user: ix.user.id,
    guild: ix.guildId,
    channel: ix.channelId,
  };
}

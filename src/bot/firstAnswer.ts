// How a slow piece of work answers its interaction: directly, in one message, when the work is done
// quickly; otherwise with a deferral ("thinking…") before Discord's 3 s deadline, then edits.
// A direct answer saves members a round trip to Discord and the "thinking…" flash for most runs.
import type { InteractionEditReplyOptions, InteractionReplyOptions, RepliableInteraction } from "discord.js";

/** Defer when no answer is ready by then: well inside Discord's 3 s, with room for the round trip. */
export const DEFER_AFTER_MS = 1500;

type Answer = Pick<
  InteractionReplyOptions & InteractionEditReplyOptions,
  "content" | "embeds" | "files" | "components" | "allowedMentions"
>;

export class FirstAnswer {
  private deferral: Promise<unknown> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly ix: RepliableInteraction,
    deferAfterMs = DEFER_AFTER_MS,
  ) {
    this.timer = setTimeout(() => void this.defer(), deferAfterMs);
  }

  /** Defers now (once); from then on answers are edits. Rejects if Discord refused the deferral. */
  defer(): Promise<unknown> {
    if (!this.deferral) {
      clearTimeout(this.timer);
      this.deferral = this.ix.deferReply();
      this.deferral.catch(() => undefined); // awaited by send(); this only keeps it from being "unhandled"
    }
    return this.deferral;
  }

  /** Shows `answer`: as the reply itself, or as an edit of the deferred reply. */
  async send(answer: Answer): Promise<void> {
    clearTimeout(this.timer);
    if (this.deferral) {
      await this.deferral;
      await this.ix.editReply(answer);
    } else {
      await this.ix.reply(answer);
    }
  }

  /** Stops the timer and waits for a deferral in flight, so an error answer goes to the right place. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    await this.deferral?.catch(() => undefined);
  }
}

// The pictures of the lessons' (and servers') questions, shown with every answer's feedback. A question's
// picture is the same for every member (drawn from the run its answer was derived from), so it is drawn once
// per process instead of on every answer (tens of milliseconds of CPU each), and drawn ahead of the first
// answers, one after the other off the event loop, once the bot has started.
import type { AttachmentBuilder } from "discord.js";
import type { FlowReport } from "../picture/index.js";
import type { PictureRenderer } from "../picture/offThread.js";
import { pictureFile, worthAPicture } from "./flowPicture.js";
import type { QuizContent } from "./quizContent.js";

interface Drawn {
  /** What it was drawn from: a question whose run or code changed (answers derived again) is drawn anew. */
  flow: FlowReport;
  source: string;
  png: Buffer;
  alt: string;
}

/** Questions kept, the least recently shown dropped first: a few tens of KB each. */
const KEPT = 300;

export class QuestionPictures {
  private readonly drawn = new Map<string, Drawn>();

  constructor(private readonly pictures: PictureRenderer) {}

  /** The question's picture as an attachment, drawn now only if it has not been drawn from this run. */
  async attachment(key: string, flow: FlowReport, source: string): Promise<AttachmentBuilder> {
    const d = await this.draw(key, flow, source);
    return pictureFile(d);
  }

  /** Draws the pictures not drawn yet, one after the other; stops when `stopped()` says so. */
  async warm(content: QuizContent, stopped: () => boolean): Promise<number> {
    let drawn = 0;
    for (const lesson of content.lessons())
      for (const question of lesson.sections.flatMap((s) => s.questions)) {
        if (stopped()) return drawn;
        try {
          const { flow } = content.answer({ key: question.key, seed: "", choiceIds: [] });
          const source = content.presentQuestion(question.key, "").code;
          if (!worthAPicture(flow) || this.fresh(question.key, flow, source)) continue;
          await this.draw(question.key, flow, source);
          drawn++;
        } catch {
          // a question that left the lessons meanwhile: nothing to draw
        }
      }
    return drawn;
  }

  private fresh(key: string, flow: FlowReport, source: string): Drawn | null {
    const d = this.drawn.get(key);
    return d && d.flow === flow && d.source === source ? d : null;
  }

  private async draw(key: string, flow: FlowReport, source: string): Promise<Drawn> {
    let d = this.fresh(key, flow, source);
    if (!d) {
      const picture = await this.pictures.render(flow, source);
      d = { flow, source, png: picture.png, alt: picture.alt };
    }
    this.drawn.delete(key); // re-inserted last: the most recently shown
    this.drawn.set(key, d);
    if (this.drawn.size > KEPT) this.drawn.delete(this.drawn.keys().next().value as string);
    return d;
  }
}

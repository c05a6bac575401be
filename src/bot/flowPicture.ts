// The picture of a run's flow as a Discord attachment: the PNG (src/picture) with its alt text as the
// attachment's description, so a screen reader says the path in words.
import { AttachmentBuilder } from "discord.js";
import { type FlowReport, hasFlow } from "../picture/index.js";
import type { PictureRenderer } from "../picture/offThread.js";
import { ATTACHMENT_DESCRIPTION_MAX } from "./discordLimits.js";

export const FLOW_BUTTON_LABEL = "🖼 Flow";
export const FLOW_FILE_NAME = "flow.png";

/** Whether a run is worth a picture: a try, a with or a raise ran. */
export const worthAPicture = (flow: FlowReport | null): flow is FlowReport => flow !== null && hasFlow(flow);

/** A drawn picture as the attachment Discord shows, its alt text as the description screen readers say. */
export function pictureFile(picture: { png: Buffer; alt: string }): AttachmentBuilder {
  return new AttachmentBuilder(picture.png, {
    name: FLOW_FILE_NAME,
    description: picture.alt.slice(0, ATTACHMENT_DESCRIPTION_MAX),
  });
}

/** Draws and rasterises the picture off the event loop (tens of milliseconds of CPU; nothing is run). */
export async function flowAttachment(
  pictures: PictureRenderer,
  flow: FlowReport,
  source: string,
): Promise<AttachmentBuilder> {
  return pictureFile(await pictures.render(flow, source));
}

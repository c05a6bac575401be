// The picture of a run's flow as a Discord attachment: the PNG (src/picture) with its alt text as the
// attachment's description, so a screen reader says the path in words.
import { AttachmentBuilder } from "discord.js";
import { type FlowReport, hasFlow, renderFlowPng } from "../picture/index.js";
import { ATTACHMENT_DESCRIPTION_MAX } from "./discordLimits.js";

export const FLOW_BUTTON_LABEL = "🖼 Flow";
export const FLOW_FILE_NAME = "flow.png";

/** Whether a run is worth a picture: a try, a with or a raise ran. */
export const worthAPicture = (flow: FlowReport | null): flow is FlowReport => flow !== null && hasFlow(flow);

/** Draws and rasterises the picture (tens of milliseconds, nothing is run). */
export function flowAttachment(flow: FlowReport, source: string): AttachmentBuilder {
  const picture = renderFlowPng(flow, source);
  return new AttachmentBuilder(picture.png, {
    name: FLOW_FILE_NAME,
    description: picture.alt.slice(0, ATTACHMENT_DESCRIPTION_MAX),
  });
}

// Reads the picture's structure back from its SVG: the data attributes of its lanes, marks and lines.
const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"' };

export type Attrs = Record<string, string>;

function attrsOf(tag: string): Attrs {
  const out: Attrs = {};
  for (const m of tag.matchAll(/data-([\w-]+)="([^"]*)"/g))
    out[m[1] as string] = (m[2] as string).replace(/&(lt|gt|amp|quot);/g, (e) => ENTITIES[e] ?? e);
  return out;
}

/** The opening tags of every `<g class="CLASS" …>`, as their data attributes. */
export function groups(svg: string, cls: string): Attrs[] {
  return [...svg.matchAll(new RegExp(`<g class="${cls}"([^>]*)>`, "g"))].map((m) => attrsOf(m[1] as string));
}

export interface PictureStructure {
  runs: Attrs[];
  marks: Attrs[];
  /** Listed lines drawn dimmed (their clause did not run). */
  skippedLines: number[];
  status: string;
}

export function readStructure(svg: string): PictureStructure {
  return {
    runs: groups(svg, "run"),
    marks: groups(svg, "mark"),
    skippedLines: groups(svg, "line")
      .filter((a) => a.skipped === "true")
      .map((a) => Number(a.line)),
    status: groups(svg, "header")[0]?.status ?? "",
  };
}

// `tutor misconceptions`: the catalogue, for teachers naming the misconception of a hand-written wrong answer.
import { CATALOGUE, CONCEPTS } from "../misconceptions/catalogue.js";

export async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(`tutor misconceptions: unexpected argument "${args[0]}"\nusage: tutor misconceptions`);
    return 2;
  }
  for (const m of CATALOGUE) {
    const listed = m.listed === undefined ? "" : ` (#${m.listed})`;
    console.log(`${m.id}${listed} · ${m.concept}`);
    console.log(`  believes: ${m.belief}`);
    console.log(`  in fact:  ${m.correction.replace(/ ?\{\w+\}/g, "")}`);
    if (m.source) console.log(`  source:   ${m.source.title} <${m.source.url}>`);
  }
  console.log(`\n${CATALOGUE.length} misconceptions in ${Object.keys(CONCEPTS).length} concepts:`);
  for (const [id, what] of Object.entries(CONCEPTS)) console.log(`  ${id}: ${what}`);
  return 0;
}

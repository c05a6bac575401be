// `npm run pictures`: the README's pictures of the flow, made from real runs in the sandbox.
// Writes docs/pictures/*.png (committed); run it again after changing how pictures are drawn.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { openSandboxRunner } from "../src/lessons/runner.js";
import { renderFlowPng } from "../src/picture/index.js";

const OUT = join(import.meta.dirname, "../docs/pictures");

const PROGRAMS: { file: string; about: string; code: string }[] = [
  {
    file: "caught.png",
    about: "a caught exception",
    code: `def average(values):
    try:
        result = sum(values) / len(values)
    except ZeroDivisionError:
        print("no values, using 0")
        result = 0
    print("average:", result)
    return result

average([4, 8])
average([])
`,
  },
  {
    file: "return-in-loop.png",
    about: "a return through finally in a loop",
    code: `def find(items, wanted):
    for i, item in enumerate(items):
        try:
            if item == wanted:
                return i
        finally:
            print("checked", item)
    return -1

print("found at", find(["a", "b", "c"], "b"))
`,
  },
  {
    file: "uncaught-cleanup.png",
    about: "an uncaught exception with cleanup",
    code: `def save(path, text):
    print("opening", path)
    try:
        if not path.endswith(".txt"):
            raise ValueError("not a .txt file")
        print("writing", text)
    finally:
        print("closing", path)

save("notes.txt", "hello")
save("photo.png", "hello")
print("all saved")
`,
  },
];

const sandbox = await openSandboxRunner();
try {
  for (const p of PROGRAMS) {
    const run = await sandbox.run({ code: p.code });
    if (run.status === "refused") throw new Error(`${p.file}: not run: ${run.reason}`);
    const picture = renderFlowPng(run, p.code);
    await writeFile(join(OUT, p.file), picture.png);
    console.log(
      `docs/pictures/${p.file} (${p.about}, ${Math.round(picture.png.length / 1024)} KB)\n  ${picture.alt}`,
    );
  }
} finally {
  await sandbox.close();
}

// `tutor run --picture FILE.png`: the picture is written, stdout is the same JSON as without it.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/sandbox/index.js";

const tutor = new URL("../../bin/tutor.js", import.meta.url).pathname;
const cli = (args: string[]) => execa(process.execPath, [tutor, ...args], { reject: false });

const probe = createSandbox();
const availability = await probe.availability();
await probe.close();

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tutor-picture-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const PROGRAM =
  'def parse(s):\n    try:\n        return int(s)\n    finally:\n        print("cleanup")\n\nparse("oops")\n';

describe("tutor run --picture: bad input costs no run", () => {
  it("a directory that does not exist is exit 2, nothing on stdout", async () => {
    const code = join(dir, "p.py");
    await writeFile(code, PROGRAM);
    const r = await cli(["run", "--json", "--picture", join(dir, "missing", "flow.png"), code]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/cannot write the picture to .*flow\.png: no such directory/);
  });
  it("an unknown theme, or a theme without --picture, is a usage error", async () => {
    expect((await cli(["run", "--picture", join(dir, "x.png"), "--theme", "blue", "x.py"])).stderr).toMatch(
      /--theme is dark or light/,
    );
    expect((await cli(["run", "--theme", "light", "x.py"])).exitCode).toBe(2);
  });
});

describe.runIf(availability.ok)("tutor run --picture", () => {
  it("writes a PNG and says so on stderr; stdout is the JSON it prints without --picture", async () => {
    const code = join(dir, "parse.py");
    const png = join(dir, "flow.png");
    await writeFile(code, PROGRAM);
    const [withPicture, without] = [
      await cli(["run", "--json", "--picture", png, "--theme", "light", code]),
      await cli(["run", "--json", code]),
    ];
    expect(withPicture.exitCode).toBe(0);
    const a = JSON.parse(withPicture.stdout);
    const b = JSON.parse(without.stdout);
    a.durationMs = 0;
    b.durationMs = 0;
    expect(a).toEqual(b);
    expect(withPicture.stderr).toMatch(
      /picture written to .*flow\.png .*try at line 2: body raised ValueError at line 3/,
    );
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(bytes.length).toBeGreaterThan(5000);
  });
});

// The page's script and styles, bundled from ./web on the fly with esbuild when the playground starts
// (about a second), then served from memory: nobody runs a build step by hand.
import { build, stop } from "esbuild";

export interface PageBundle {
  js: string;
  css: string;
}

let bundling: Promise<PageBundle> | null = null;

export function pageBundle(): Promise<PageBundle> {
  bundling ??= bundlePage().catch((err: unknown) => {
    bundling = null; // let the next request try again
    throw err;
  });
  return bundling;
}

async function bundlePage(): Promise<PageBundle> {
  const result = await build({
    entryPoints: [new URL("./web/app.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome110",
    minify: true,
    write: false,
    outdir: "/page", // virtual: write is false, the files stay in memory
    logLevel: "silent",
    legalComments: "none",
  });
  // The page is bundled once: end esbuild's helper process now rather than leave it idle beside the bot.
  await stop();
  const text = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: text(".js"), css: text(".css") };
}

// `tutor store copy --from FILE`: moves the embedded SQLite store into the PostgreSQL database named by
// DATABASE_URL (empty, the bot stopped). Exit 0 copied, 1 refused (rows already there, no such file), 2 usage.
import { existsSync } from "node:fs";
import { loadCoreConfig } from "../config.js";
import { CopyRefused, copySqliteStore } from "../store/copy.js";
import { openStore } from "../store/db.js";

const USAGE = "usage: tutor store copy --from FILE   (into the PostgreSQL database at DATABASE_URL)";

export async function main(args: string[]): Promise<number> {
  const [action, flag, from, ...rest] = args;
  if (action !== "copy" || flag !== "--from" || !from || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const url = loadCoreConfig().DATABASE_URL;
  if (!url) {
    console.error("tutor store copy: set DATABASE_URL (in .env) to the PostgreSQL database to copy into.");
    return 2;
  }
  if (!existsSync(from)) {
    console.error(`tutor store copy: no SQLite file at ${from}`);
    return 1;
  }
  const target = await openStore({ url, path: "" });
  try {
    const report = await copySqliteStore(from, target);
    for (const t of report.tables) console.log(`${t.name}: ${t.rows} rows`);
    console.log(`copied ${from} into ${redacted(url)}`);
    return 0;
  } catch (err) {
    if (!(err instanceof CopyRefused)) throw err;
    console.error(`tutor store copy: ${err.message}; nothing was copied`);
    return 1;
  } finally {
    await target.close();
  }
}

/** The URL without its password, for the log. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

// The playground: the local Discord, the unchanged bot connected to it (same router, commands, sandbox and
// store as on Discord, on the playground's own database file), and a page that is a client of that local
// Discord, all in this one process. `npm start` runs it when no DISCORD_TOKEN is set; `npm run playground`
// always does.
import { loadBotConfig, type PlaygroundConfig } from "../config.js";
import { LocalDiscord } from "../localDiscord/server.js";
import type { Logger } from "../logger.js";
import type { Runner } from "../runs/index.js";
import type { DoctorWatch } from "../sandbox/doctorWatch.js";
import { BotSession } from "./botSession.js";
import { pageBundle } from "./bundle.js";
import { startWebServer } from "./webServer.js";

export interface Playground {
  url: string;
  local: LocalDiscord;
  reset(): Promise<void>;
  /** The running bot and its quiz engine; null while a reset is under way. */
  current: BotSession["current"];
  /** Derives the answers not derived yet (the doctor allowed runs after refusing them). */
  prepareAnswers(): Promise<void>;
  /** Closes the page, the bot and the local Discord (not the sandbox, which the caller owns)... */
  close(): Promise<void>;
  /** ...and then, once the sandbox is closed too, the database. */
  closeStore(): Promise<void>;
}

export const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/** The lines `npm start` prints: the address, then how to reach Discord instead (and a warning when exposed). */
export function startupLines(url: string, host: string): string[] {
  const lines = [
    `Playground: ${url}`,
    'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID in .env (see README, "Creating the Discord application") to connect the same bot to Discord instead.',
  ];
  if (!LOOPBACK.has(host))
    lines.push(
      `Warning: the playground listens on ${host}: anyone who can reach this address can run code in the sandbox.`,
    );
  return lines;
}

export async function startPlayground(o: {
  settings: PlaygroundConfig;
  /** The other settings (sandbox, cooldown, round length) the bot reads as on Discord. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Runs member code (the sandbox host, as for the Discord bot). */
  sandbox: Runner;
  /** The doctor watching that sandbox, for /config show (tests may go without). */
  doctor?: Pick<DoctorWatch, "status">;
}): Promise<Playground> {
  const { settings } = o;
  const local = await new LocalDiscord().start();
  const config = loadBotConfig({
    ...o.env,
    DISCORD_TOKEN: local.token,
    DISCORD_APPLICATION_ID: local.applicationId,
    DISCORD_GUILD_ID: local.guildId,
    DISCORD_API_URL: local.url,
    DATABASE_PATH: settings.PLAYGROUND_DATABASE_PATH,
  });
  const session = new BotSession({
    local,
    config,
    logger: o.logger,
    runCode: o.sandbox.run.bind(o.sandbox),
    ...(o.doctor ? { sandboxStatus: o.doctor.status } : {}),
  });
  let web: Awaited<ReturnType<typeof startWebServer>> | null = null;
  try {
    // The bundle is made before the address is printed, so the first load does not wait for it.
    await Promise.all([session.start(), pageBundle()]);
    web = await startWebServer({
      local,
      host: settings.PLAYGROUND_HOST,
      port: settings.PLAYGROUND_PORT,
      reset: () => session.reset(),
    });
  } catch (err) {
    await session.stop().catch(() => undefined);
    await local.stop();
    throw err;
  }
  const page = web;
  return {
    url: page.url,
    local,
    reset: () => session.reset(),
    current: () => session.current(),
    prepareAnswers: () => session.prepareAnswers(),
    async close() {
      await page.close();
      await session.stopBot();
      await local.stop();
    },
    closeStore: () => session.closeStore(),
  };
}

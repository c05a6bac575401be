// The unchanged bot, connected to the local Discord, on the playground's own SQLite file (never the Discord
// bot's database, whatever DATABASE_URL says). "Reset" starts it afresh: the bot stops, the database goes
// back to a pristine copy (migrated, quiz answers derived, no member data), the local Discord forgets its
// messages, and a new bot connects.
import { copyFileSync, existsSync, renameSync, rmSync } from "node:fs";
import { deployCommands } from "../bot/deploy-commands.js";
import { type Bot, createBot } from "../bot/start.js";
import type { RunCode } from "../bot/types.js";
import type { BotConfig } from "../config.js";
import { LESSONS_DIR, loadLessons } from "../lessons/index.js";
import type { LocalDiscord } from "../localDiscord/server.js";
import type { Logger } from "../logger.js";
import { createQuizEngine, type QuizEngine } from "../quiz/index.js";
import type { SandboxStatus } from "../sandbox/doctorWatch.js";
import { openStore, type Store } from "../store/db.js";

export interface BotSessionOptions {
  local: LocalDiscord;
  config: BotConfig;
  logger: Logger;
  runCode: RunCode;
  sandboxStatus?: () => SandboxStatus;
}

export class BotSession {
  private store: Store | null = null;
  private bot: Bot | null = null;
  private engine: QuizEngine | null = null;
  private readonly dbPath: string;
  /** Migrations run and answers derived, nothing of any member: what Reset goes back to. */
  private readonly pristinePath: string;

  constructor(private readonly o: BotSessionOptions) {
    this.dbPath = o.config.DATABASE_PATH;
    this.pristinePath = `${this.dbPath}.pristine`;
  }

  /** Opens the database (a new one starts as the pristine copy), registers the commands, connects. */
  async start(): Promise<void> {
    if (!existsSync(this.dbPath)) await this.restorePristine();
    await this.connect();
    await deployCommands(this.o.config);
  }

  async reset(): Promise<void> {
    await this.stop();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${this.dbPath}${suffix}`, { force: true });
    this.o.local.clearActivity();
    await this.restorePristine();
    await this.connect();
  }

  /** Derives the answers not derived yet (after the doctor first refused runs and now allows them). */
  async prepareAnswers(): Promise<void> {
    const prepared = await this.engine?.prepare();
    if (prepared) this.o.logger.info(prepared, "quiz answers prepared");
    void this.bot?.warmPictures();
  }

  /** The running bot and its quiz engine (tests read the derived answers from it); null while resetting. */
  current(): { bot: Bot; engine: QuizEngine } | null {
    return this.bot && this.engine ? { bot: this.bot, engine: this.engine } : null;
  }

  async stop(): Promise<void> {
    try {
      await this.stopBot();
    } finally {
      await this.closeStore();
    }
  }

  /** Disconnects the bot (its store stays open for runs still finishing). */
  async stopBot(): Promise<void> {
    const { bot } = this;
    this.bot = null;
    this.engine = null;
    await bot?.stop();
  }

  async closeStore(): Promise<void> {
    const { store } = this;
    this.store = null;
    await store?.close();
  }

  /** Copies the pristine database into place, deriving it first (every lesson program run once) if need be. */
  private async restorePristine(): Promise<void> {
    if (!existsSync(this.pristinePath)) {
      const making = `${this.pristinePath}.making`;
      rmSync(making, { force: true });
      const store = await openStore(making);
      try {
        const engine = createQuizEngine({
          store,
          lessons: await loadLessons(LESSONS_DIR),
          runner: this.o.runCode,
        });
        this.o.logger.info(await engine.prepare(), "quiz answers prepared for the pristine copy");
      } finally {
        await store.close(); // closing the last connection folds the WAL into the file
      }
      renameSync(making, this.pristinePath);
    }
    copyFileSync(this.pristinePath, this.dbPath);
  }

  private async connect(): Promise<void> {
    const store = await openStore(this.dbPath);
    this.store = store;
    const engine = createQuizEngine({
      store,
      lessons: await loadLessons(LESSONS_DIR),
      runner: this.o.runCode,
    });
    // Answers come cached from the pristine copy; a lesson changed since is derived again here.
    this.o.logger.info(await engine.prepare(), "quiz answers prepared");
    this.engine = engine;
    this.bot = createBot({
      config: this.o.config,
      logger: this.o.logger,
      store,
      content: engine,
      runCode: this.o.runCode,
      ...(this.o.sandboxStatus ? { sandboxStatus: this.o.sandboxStatus } : {}),
    });
    await this.bot.start();
  }
}

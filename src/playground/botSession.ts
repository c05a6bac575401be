// The unchanged bot, connected to the local Discord, on the playground's own database file. "Reset" starts
// it afresh: the bot stops, the database goes back to a pristine copy (migrated, quiz answers derived, no
// member data), the local Discord forgets its messages, and a new bot connects.
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { deployCommands, LESSONS_DIR } from "../bot/deploy-commands.js";
import { type Bot, createBot } from "../bot/start.js";
import type { RunCode } from "../bot/types.js";
import type { BotConfig } from "../config.js";
import { loadLessons } from "../lessons/index.js";
import type { LocalDiscord } from "../localDiscord/server.js";
import type { Logger } from "../logger.js";
import { createQuizEngine, type QuizEngine } from "../quiz/index.js";
import { type Db, openDatabase } from "../store/db.js";

export class BotSession {
  private db: Db | null = null;
  private bot: Bot | null = null;
  private engine: QuizEngine | null = null;
  /** Migrations run and answers derived, nothing of any member: what Reset goes back to. */
  private readonly pristinePath: string;

  constructor(
    private readonly local: LocalDiscord,
    private readonly config: BotConfig,
    private readonly logger: Logger,
    private readonly runCode: RunCode,
  ) {
    this.pristinePath = `${config.DATABASE_PATH}.pristine`;
  }

  /** Opens the database (a new file starts pristine), derives the answers, registers the commands, connects. */
  async start(): Promise<void> {
    const fresh = !existsSync(this.config.DATABASE_PATH);
    if (fresh && existsSync(this.pristinePath)) copyFileSync(this.pristinePath, this.config.DATABASE_PATH);
    await this.connect(fresh);
    await deployCommands(this.config);
  }

  async reset(): Promise<void> {
    await this.stop();
    for (const suffix of ["", "-wal", "-shm"])
      rmSync(`${this.config.DATABASE_PATH}${suffix}`, { force: true });
    const pristine = existsSync(this.pristinePath);
    if (pristine) copyFileSync(this.pristinePath, this.config.DATABASE_PATH);
    this.local.clearActivity();
    await this.connect(!pristine);
  }

  /** The running bot and its quiz engine (tests read the derived answers from it); null while resetting. */
  current(): { bot: Bot; engine: QuizEngine } | null {
    return this.bot && this.engine ? { bot: this.bot, engine: this.engine } : null;
  }

  async stop(): Promise<void> {
    const bot = this.bot;
    const db = this.db;
    this.bot = null;
    this.db = null;
    this.engine = null;
    try {
      await bot?.stop();
    } finally {
      db?.close();
    }
  }

  private async connect(savePristine: boolean): Promise<void> {
    const db = openDatabase(this.config.DATABASE_PATH);
    this.db = db;
    const engine = createQuizEngine({ db, lessons: await loadLessons(LESSONS_DIR), runner: this.runCode });
    const prepared = await engine.prepare();
    this.logger.info(prepared, "quiz answers prepared");
    // Answers only, no member yet: the copy Reset restores, so a reset does not derive every answer again.
    if (savePristine) await db.backup(this.pristinePath);
    this.engine = engine;
    this.bot = createBot({
      config: this.config,
      logger: this.logger,
      db,
      content: engine,
      runCode: this.runCode,
    });
    await this.bot.start();
  }
}

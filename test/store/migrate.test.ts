// Migrations on both engines: a fresh store gets every table once; a SQLite file written by the bot before
// Kysely keeps all its data and is not migrated again; a migration added later (even with a lower id, as
// branches merge) runs on a store that already has the others; bot processes starting together on one
// PostgreSQL database do not trip over each other.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/db.js";
import { migrateToLatest, migrationName, statements } from "../../src/store/migrate.js";
import { migrations } from "../../src/store/migrations.js";
import { QuizStore } from "../../src/store/quizStore.js";
import { RoundsStore } from "../../src/store/rounds.js";
import { RunRecords } from "../../src/store/runRecords.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { storeEngines } from "../services/stores.js";

const applied = async (store: Store) =>
  (
    await store.db
      .withoutPlugins()
      .selectFrom("kysely_migration" as never)
      .select("name" as never)
      .execute()
  ).map((r) => (r as { name: string }).name);

describe("migration text", () => {
  it("splits statements at a semicolon that ends a line, and only there", () => {
    expect(statements("CREATE TABLE a (x TEXT DEFAULT ';');\n  CREATE INDEX i ON a (x);  \n")).toEqual([
      "CREATE TABLE a (x TEXT DEFAULT ';')",
      "CREATE INDEX i ON a (x)",
    ]);
  });

  it("gives every migration a unique id and a PostgreSQL version with as many statements", () => {
    expect(new Set(migrations.map((m) => m.id)).size).toBe(migrations.length);
    for (const m of migrations) expect(statements(m.postgres).length).toBe(statements(m.sql).length);
  });
});

for (const engine of storeEngines())
  describe.skipIf(engine.skip !== null)(engine.title, () => {
    it("creates every table once; opening again applies nothing", async () => {
      const where = await engine.location();
      const first = await openStore(where);
      expect(await applied(first)).toEqual(migrations.map(migrationName).sort());
      await first.close();
      const again = await openStore(where);
      try {
        expect(await migrateToLatest(again)).toEqual([]);
        expect(await new SettingsStore(again).get("g")).toMatchObject({ runMode: "everywhere" });
      } finally {
        await again.close();
      }
    });

    it("runs a migration added later, even with a lower id than applied ones", async () => {
      const store = await engine.open();
      const late = {
        id: 150,
        name: "test: a table from a branch merged late",
        sql: "CREATE TABLE late_table (k TEXT PRIMARY KEY, n INTEGER NOT NULL);\nINSERT INTO late_table VALUES ('a', 1);",
        postgres:
          "CREATE TABLE late_table (k TEXT PRIMARY KEY, n BIGINT NOT NULL);\nINSERT INTO late_table VALUES ('a', 1);",
      };
      expect(await migrateToLatest(store, [...migrations, late])).toEqual([migrationName(late)]);
      expect(await migrateToLatest(store, [...migrations, late])).toEqual([]);
      const rows = await sql<{ k: string; n: number }>`SELECT k, n FROM late_table`.execute(store.db);
      expect(rows.rows).toEqual([{ k: "a", n: 1 }]);
    });

    it("undoes a failed migration whole and names it", async () => {
      const store = await engine.open();
      const broken = {
        id: 151,
        name: "test: second statement fails",
        sql: "CREATE TABLE half_done (k TEXT);\nCREATE TABLE half_done (k TEXT);",
        postgres: "CREATE TABLE half_done (k TEXT);\nCREATE TABLE half_done (k TEXT);",
      };
      await expect(migrateToLatest(store, [...migrations, broken])).rejects.toThrow(
        /migration "0151 test: second statement fails" failed/,
      );
      await expect(sql`SELECT * FROM half_done`.execute(store.db)).rejects.toThrow();
      expect(await applied(store)).not.toContain(migrationName(broken));
    });

    // PostgreSQL only: that is where several bot processes share one database.
    if (engine.name === "postgres")
      it("lets several bot processes open a new database at once", async () => {
        const where = await engine.location();
        const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(where)));
        try {
          expect(await applied(stores[0] as Store)).toHaveLength(migrations.length);
        } finally {
          await Promise.all(stores.map((s) => s.close()));
        }
      });
  });

describe("a SQLite file written by the bot before Kysely (commit fe2b819)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tutor-legacy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every row, is not migrated again, and takes new writes", async () => {
    const path = join(dir, "tutor.db");
    copyFileSync(new URL("./fixtures/legacy-fe2b819.db", import.meta.url), path);
    const store = await openStore(path);
    try {
      // Recorded for Kysely without running again (running again would fail: the tables exist).
      expect(await applied(store)).toEqual(migrations.map(migrationName).sort());
      const legacy = await sql<{ id: number }>`SELECT id FROM schema_migrations ORDER BY id`.execute(
        store.db,
      );
      expect(legacy.rows.map((r) => r.id)).toEqual([100, 200, 201, 202, 203]);

      expect(await new SettingsStore(store).get("g1")).toEqual({
        runMode: "lesson_channels",
        roundSeconds: 45,
        lessonChannels: ["c9", "c2", "c5"],
      });
      expect(await new ScheduleStore(store).get("g1")).toEqual({
        guildId: "g1",
        channelId: "c9",
        time: "08:00",
        timezone: "Europe/Paris",
        lessonId: "finally",
        lastPostedDate: "2026-12-05",
      });
      const quiz = new QuizStore(store);
      expect((await quiz.getCachedAnswers(["hash1", "other"])).get("hash1")).toEqual({
        answerJson: '{"kind":"x"}',
        trace: "trace text",
        flowJson: null, // cached before answers kept their run's report (migration 101)
      });
      expect(await quiz.totals("g1", "ann")).toEqual({ answered: 2, correct: 1, points: 100 });
      expect(await quiz.leaderboard("g1", 10)).toEqual([
        { memberId: "ann", answered: 2, correct: 1, points: 100 },
        { memberId: "bob", answered: 1, correct: 1, points: 80 },
      ]);
      expect(await quiz.missed("g1", "ann")).toEqual([
        { questionKey: "finally/b", missedAt: 1764900060000, dueAt: 1764910000000 },
      ]);
      expect(await quiz.progressRow("g1", "ann", "finally/a")).toEqual({
        questionKey: "finally/a",
        box: 2,
        dueAt: 1765000000000,
        rightCount: 1,
        wrongCount: 0,
        lastAnsweredAt: 1764900000000,
      });
      const rounds = new RoundsStore(store);
      expect((await rounds.get(1))?.status).toBe("closed");
      expect(await rounds.answers(1)).toEqual([
        { userId: "ann", choice: "A", answeredAt: 1764900001000, changes: 0 },
        { userId: "bob", choice: "C", answeredAt: 1764900003000, changes: 1 },
      ]);
      expect((await rounds.open()).map((r) => r.questionKey)).toEqual(["finally/b"]);
      expect(await new RunRecords(store).get(1)).toMatchObject({
        userId: "ann",
        code: "print('hi')\n",
        stdin: "x",
      });

      // A run whose bytes main's code (before migration 204) kept in the code column itself.
      await sql`INSERT INTO bot_runs (guild_id, channel_id, user_id, code, stdin, created_at)
        VALUES ('g1', 'c', 'u', ${Buffer.from([0x70, 0xe9])}, '', 2)`.execute(store.db);
      expect((await new RunRecords(store).get(2))?.code).toEqual(Buffer.from([0x70, 0xe9]));

      // New writes continue the old ids.
      expect(
        await new RunRecords(store).add(
          { guildId: "g1", channelId: "c", userId: "u", code: "", stdin: "" },
          1,
        ),
      ).toBe(3);
      await quiz.recordAttempt({
        guildId: "g1",
        memberId: "ann",
        questionKey: "finally/b",
        correct: true,
        points: 50,
        hintUsed: false,
        answeredAt: 1764990000000,
        leitner: (previous) => ({ box: (previous?.box ?? 0) + 1, dueAt: 1765100000000 }),
      });
      expect(await quiz.progressRow("g1", "ann", "finally/b")).toMatchObject({
        box: 2,
        rightCount: 1,
        wrongCount: 1,
      });
      expect(await quiz.missed("g1", "ann")).toEqual([]);
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
      expect(sync.rows[0]?.synchronous).toBe(2); // FULL
    } finally {
      await store.close();
    }
  });
});

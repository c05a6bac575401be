// Moving to PostgreSQL: `tutor store copy --from FILE` puts every row of a SQLite store (here the file the bot
// wrote before Kysely) into an empty PostgreSQL database, where the bot's stores read the same data and new
// rows get new ids; a second copy into the same database is refused, and so is a copy without DATABASE_URL.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/db.js";
import { QuizStore } from "../../src/store/quizStore.js";
import { RoundsStore } from "../../src/store/rounds.js";
import { RunRecords } from "../../src/store/runRecords.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { type PostgresServer, postgresUnavailable, startPostgres } from "../services/postgres.js";

const unavailable = postgresUnavailable();
const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

/** `npx tutor …` as an operator runs it; resolves with the exit code and output. */
async function tutor(args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe.skipIf(unavailable !== null)(
  `tutor store copy${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let pg: PostgresServer;
    let dir: string;
    beforeAll(async () => {
      pg = await startPostgres();
      dir = mkdtempSync(join(tmpdir(), "tutor-copy-"));
    });
    afterAll(async () => {
      await pg?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("copies every row into an empty PostgreSQL database, once", async () => {
      const file = join(dir, "tutor.db");
      copyFileSync(new URL("./fixtures/legacy-fe2b819.db", import.meta.url), file);
      const url = await pg.createDatabase();
      const first = await tutor(["store", "copy", "--from", file], { DATABASE_URL: url });
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("quiz_attempts: 3 rows");
      expect(first.stdout).toContain("lesson_channels: 3 rows");
      expect(first.stdout).toContain("round_answers: 2 rows");

      const store: Store = await openStore({ url, path: "" });
      try {
        expect(await new SettingsStore(store).get("g1")).toEqual({
          runMode: "lesson_channels",
          roundSeconds: 45,
          lessonChannels: ["c9", "c2", "c5"],
        });
        expect((await new ScheduleStore(store).get("g1"))?.lastPostedDate).toBe("2026-12-05");
        const quiz = new QuizStore(store);
        expect(await quiz.leaderboard("g1", 10)).toEqual([
          { memberId: "ann", answered: 2, correct: 1, points: 100 },
          { memberId: "bob", answered: 1, correct: 1, points: 80 },
        ]);
        expect(await quiz.missed("g1", "ann")).toEqual([
          { questionKey: "finally/b", missedAt: 1764900060000, dueAt: 1764910000000 },
        ]);
        const rounds = new RoundsStore(store);
        expect(await rounds.answers(1)).toEqual([
          { userId: "ann", choice: "A", answeredAt: 1764900001000, changes: 0 },
          { userId: "bob", choice: "C", answeredAt: 1764900003000, changes: 1 },
        ]);
        expect((await rounds.open()).map((r) => r.id)).toEqual([2]);
        // New rows go on after the copied ids.
        expect(
          await rounds.create({
            guildId: "g1",
            channelId: "c",
            questionKey: "k",
            seed: "s",
            startedAt: 0,
            endsAt: 1,
          }),
        ).toBe(3);
        const runs = new RunRecords(store);
        expect(await runs.get(1)).toMatchObject({ code: "print('hi')\n", stdin: "x" });
        expect(await runs.add({ guildId: null, channelId: "c", userId: "u", code: "x", stdin: "" }, 1)).toBe(
          2,
        );
      } finally {
        await store.close();
      }

      const again = await tutor(["store", "copy", "--from", file], { DATABASE_URL: url });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        /already has rows in \w+: copy into an empty database; nothing was copied/,
      );
    });

    it("says what to set without DATABASE_URL, and names a missing file", async () => {
      const noUrl = await tutor(["store", "copy", "--from", "x.db"], { DATABASE_URL: "" });
      expect(noUrl.code).toBe(2);
      expect(noUrl.stderr).toContain("set DATABASE_URL");
      const missing = await tutor(["store", "copy", "--from", join(dir, "nope.db")], {
        DATABASE_URL: await pg.createDatabase(),
      });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("no SQLite file at");
    });
  },
);

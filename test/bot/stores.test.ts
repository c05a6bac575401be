// The bot's stores on each engine (a real SQLite file, a real PostgreSQL database): one answer change per
// round, settings, the daily schedule, run records, and what two bot processes sharing one database need.
import { beforeEach, describe, expect, it } from "vitest";
import { isDue, localNow } from "../../src/bot/dailyPost.js";
import { openStore, type Store } from "../../src/store/db.js";
import { RoundsStore } from "../../src/store/rounds.js";
import { RunRecords } from "../../src/store/runRecords.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";
import { storeEngines } from "../services/stores.js";

for (const engine of storeEngines())
  describe.skipIf(engine.skip !== null)(engine.title, () => {
    let store: Store;
    beforeEach(async () => {
      store = await engine.open();
    });

    describe("group round answers", () => {
      it("locks an answer, allows one change, then keeps it; nothing after the round ends", async () => {
        const rounds = new RoundsStore(store);
        const id = await rounds.create({
          guildId: "1",
          channelId: "2",
          questionKey: "l/q",
          seed: "s",
          startedAt: 0,
          endsAt: 1000,
        });
        expect(await rounds.answer(id, "u", "A", 10)).toEqual({ kind: "locked", choice: "A" });
        expect(await rounds.answer(id, "u", "A", 20)).toEqual({ kind: "same", choice: "A" });
        expect(await rounds.answer(id, "u", "B", 30)).toEqual({ kind: "changed", choice: "B" });
        expect(await rounds.answer(id, "u", "C", 40)).toEqual({ kind: "no_more_changes", choice: "B" });
        expect(await rounds.answer(id, "v", "A", 1001)).toEqual({ kind: "closed" });
        expect(await rounds.answers(id)).toEqual([{ userId: "u", choice: "B", answeredAt: 30, changes: 1 }]);
        expect(await rounds.close(id)).toBe(true);
        expect(await rounds.close(id)).toBe(false);
        expect(await rounds.answer(id, "w", "A", 50)).toEqual({ kind: "closed" });
      });

      it("keeps a round's times, ids and message as numbers and strings, and finds open rounds", async () => {
        const rounds = new RoundsStore(store);
        const endsAt = Date.parse("2026-12-06T10:00:00Z"); // beyond 2^31: a BIGINT on PostgreSQL
        const id = await rounds.create({
          guildId: "g",
          channelId: "c",
          questionKey: "l/q",
          seed: "s",
          startedAt: endsAt - 30_000,
          endsAt,
        });
        await rounds.setMessage(id, "m1");
        const round = {
          id,
          guildId: "g",
          channelId: "c",
          messageId: "m1",
          questionKey: "l/q",
          seed: "s",
          startedAt: endsAt - 30_000,
          endsAt,
          status: "open",
        };
        expect(await rounds.get(id)).toEqual(round);
        expect(await rounds.open()).toEqual([round]);
        expect(await rounds.openInChannel("c")).toEqual(round);
        expect(await rounds.openInChannel("elsewhere")).toBeNull();
        await rounds.close(id);
        expect(await rounds.open()).toEqual([]);
        expect(await rounds.get(id + 1)).toBeNull();
      });

      it("takes one member's simultaneous clicks one after the other", async () => {
        const rounds = new RoundsStore(store);
        const id = await rounds.create({
          guildId: "g",
          channelId: "c",
          questionKey: "l/q",
          seed: "s",
          startedAt: 0,
          endsAt: 1000,
        });
        const outcomes = await Promise.all(["A", "B", "C", "D"].map((c, i) => rounds.answer(id, "u", c, i)));
        // Exactly one first answer and at most one change, whatever order they ran in.
        expect(outcomes.filter((o) => o.kind === "locked")).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === "changed")).toHaveLength(1);
        expect(outcomes.filter((o) => o.kind === "no_more_changes")).toHaveLength(2);
        expect(await rounds.answers(id)).toEqual([expect.objectContaining({ userId: "u", changes: 1 })]);
      });
    });

    describe("settings and schedule", () => {
      it("stores run mode, lesson channels (in the order added) and round length per server", async () => {
        const s = new SettingsStore(store);
        expect(await s.get("g")).toEqual({ runMode: "everywhere", roundSeconds: null, lessonChannels: [] });
        expect(await s.addLessonChannel("g", "c9")).toBe(true);
        expect(await s.addLessonChannel("g", "c9")).toBe(false);
        expect(await s.addLessonChannel("g", "c1")).toBe(true);
        expect(await s.addLessonChannel("g", "c5")).toBe(true);
        await s.setRunMode("g", "off");
        await s.setRoundSeconds("g", 45);
        expect(await s.get("g")).toEqual({
          runMode: "off",
          roundSeconds: 45,
          lessonChannels: ["c9", "c1", "c5"],
        });
        expect(await s.removeLessonChannel("g", "c1")).toBe(true);
        expect(await s.removeLessonChannel("g", "c1")).toBe(false);
        await s.setRoundSeconds("g", null);
        expect(await s.get("g")).toEqual({
          runMode: "off",
          roundSeconds: null,
          lessonChannels: ["c9", "c5"],
        });
        expect((await s.get("other")).runMode).toBe("everywhere");
      });

      it("posts once per local day, at the local time of the server's time zone", async () => {
        const sched = new ScheduleStore(store);
        await sched.set({
          guildId: "g",
          channelId: "c",
          time: "08:00",
          timezone: "Asia/Tokyo",
          lessonId: "finally",
        });
        const at = Date.parse("2026-11-24T23:30:00Z"); // 08:30 on the 25th in Tokyo
        expect(localNow(at, "Asia/Tokyo")).toEqual({ date: "2026-11-25", time: "08:30" });
        const post = await sched.get("g");
        if (!post) throw new Error("not stored");
        expect(isDue(post, at)).toEqual({ due: true, date: "2026-11-25" });
        expect(await sched.claim("g", "2026-11-25")).toBe(true);
        expect(await sched.claim("g", "2026-11-25")).toBe(false);
        expect(isDue((await sched.get("g")) ?? post, at).due).toBe(false);
        expect(isDue(post, Date.parse("2026-11-24T22:30:00Z")).due).toBe(false);
        // Changing the time keeps the day's claim: no second post today.
        await sched.set({
          guildId: "g",
          channelId: "c2",
          time: "09:00",
          timezone: "Asia/Tokyo",
          lessonId: "with",
        });
        expect(await sched.all()).toEqual([
          {
            guildId: "g",
            channelId: "c2",
            time: "09:00",
            timezone: "Asia/Tokyo",
            lessonId: "with",
            lastPostedDate: "2026-11-25",
          },
        ]);
        expect(await sched.remove("g")).toBe(true);
        expect(await sched.remove("g")).toBe(false);
      });
    });

    describe("run records", () => {
      it("keeps a run's code and stdin for Re-run, with or without a server", async () => {
        const runs = new RunRecords(store);
        const at = Date.parse("2026-12-06T10:00:00Z");
        const a = await runs.add(
          { guildId: "g", channelId: "c", userId: "u", code: "print(1)\n", stdin: "x" },
          at,
        );
        const b = await runs.add(
          { guildId: null, channelId: "dm", userId: "u", code: "é = 1\n", stdin: "" },
          at,
        );
        expect(b).toBeGreaterThan(a);
        expect(await runs.get(a)).toEqual({
          id: a,
          guildId: "g",
          channelId: "c",
          userId: "u",
          code: "print(1)\n",
          stdin: "x",
        });
        expect(await runs.get(b)).toMatchObject({ guildId: null, code: "é = 1\n" });
        expect(await runs.get(b + 100)).toBeNull();
      });

      it("keeps an uploaded file's code as its own bytes, not as text", async () => {
        const runs = new RunRecords(store);
        // Latin-1 bytes with a coding line: not UTF-8, so they must not pass through a string.
        const bytes = new Uint8Array([
          ...Buffer.from("# -*- coding: latin-1 -*-\nprint('"),
          0xe9,
          ...Buffer.from("')\n"),
        ]);
        const id = await runs.add({ guildId: "g", channelId: "c", userId: "u", code: bytes, stdin: "" }, 1);
        const back = (await runs.get(id))?.code;
        expect(back).toBeInstanceOf(Uint8Array);
        expect(Buffer.from(back as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
      });
    });

    describe("two bot processes on one database", () => {
      it("claim the daily post and close a round exactly once between them", async () => {
        // A second, independent connection to the same database, as a second bot process would open.
        const other = await openStore(await sameLocation(store, engine.name));
        try {
          const mine = new ScheduleStore(store);
          await mine.set({
            guildId: "g",
            channelId: "c",
            time: "08:00",
            timezone: "UTC",
            lessonId: "finally",
          });
          const theirs = new ScheduleStore(other);
          const claims = await Promise.all(
            Array.from({ length: 6 }, (_, i) => (i % 2 ? mine : theirs).claim("g", "2026-12-06")),
          );
          expect(claims.filter(Boolean)).toHaveLength(1);

          const id = await new RoundsStore(store).create({
            guildId: "g",
            channelId: "c",
            questionKey: "l/q",
            seed: "s",
            startedAt: 0,
            endsAt: 1000,
          });
          const closes = await Promise.all([
            new RoundsStore(store).close(id),
            new RoundsStore(other).close(id),
          ]);
          expect(closes.filter(Boolean)).toHaveLength(1);
        } finally {
          await other.close();
        }
      });
    });
  });

/** Where `store` lives, for opening it a second time. */
async function sameLocation(store: Store, engine: string): Promise<{ url?: string; path: string }> {
  if (engine === "postgres") {
    const { sql } = await import("kysely");
    const r = await sql<{ db: string; port: number }>`SELECT current_database() AS db,
      current_setting('port')::int AS port`.execute(store.db);
    const row = r.rows[0];
    return { url: `postgres://postgres@127.0.0.1:${row?.port}/${row?.db}`, path: "unused" };
  }
  const r = await (await import("kysely")).sql<{ file: string }>`SELECT file FROM pragma_database_list
    WHERE name = 'main'`.execute(store.db);
  return { path: r.rows[0]?.file ?? "" };
}

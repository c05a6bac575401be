// The bot's SQLite stores on a real file: one answer change per round, settings, and the daily schedule.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDue, localNow } from "../../src/bot/dailyPost.js";
import { type Db, openDatabase } from "../../src/store/db.js";
import { RoundsStore } from "../../src/store/rounds.js";
import { ScheduleStore } from "../../src/store/schedule.js";
import { SettingsStore } from "../../src/store/settings.js";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tutor-bot-"));
  db = openDatabase(join(dir, "t.db"));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("group round answers", () => {
  it("locks an answer, allows one change, then keeps it; nothing after the round ends", () => {
    const rounds = new RoundsStore(db);
    const id = rounds.create({
      guildId: "1",
      channelId: "2",
      questionKey: "l/q",
      seed: "s",
      startedAt: 0,
      endsAt: 1000,
    });
    expect(rounds.answer(id, "u", "A", 10)).toEqual({ kind: "locked", choice: "A" });
    expect(rounds.answer(id, "u", "A", 20)).toEqual({ kind: "same", choice: "A" });
    expect(rounds.answer(id, "u", "B", 30)).toEqual({ kind: "changed", choice: "B" });
    expect(rounds.answer(id, "u", "C", 40)).toEqual({ kind: "no_more_changes", choice: "B" });
    expect(rounds.answer(id, "v", "A", 1001)).toEqual({ kind: "closed" });
    expect(rounds.answers(id)).toEqual([{ userId: "u", choice: "B", answeredAt: 30, changes: 1 }]);
    expect(rounds.close(id)).toBe(true);
    expect(rounds.close(id)).toBe(false);
    expect(rounds.answer(id, "w", "A", 50)).toEqual({ kind: "closed" });
  });
});

describe("settings and schedule", () => {
  it("stores run mode, lesson channels and round length per server", () => {
    const s = new SettingsStore(db);
    expect(s.get("g")).toEqual({ runMode: "everywhere", roundSeconds: null, lessonChannels: [] });
    expect(s.addLessonChannel("g", "c1")).toBe(true);
    expect(s.addLessonChannel("g", "c1")).toBe(false);
    s.setRunMode("g", "off");
    s.setRoundSeconds("g", 45);
    expect(s.get("g")).toEqual({ runMode: "off", roundSeconds: 45, lessonChannels: ["c1"] });
    expect(s.get("other").runMode).toBe("everywhere");
  });

  it("posts once per local day, at the local time of the server's time zone", () => {
    const sched = new ScheduleStore(db);
    sched.set({ guildId: "g", channelId: "c", time: "08:00", timezone: "Asia/Tokyo", lessonId: "finally" });
    const at = Date.parse("2026-11-24T23:30:00Z"); // 08:30 on the 25th in Tokyo
    expect(localNow(at, "Asia/Tokyo")).toEqual({ date: "2026-11-25", time: "08:30" });
    const post = sched.get("g");
    if (!post) throw new Error("not stored");
    expect(isDue(post, at)).toEqual({ due: true, date: "2026-11-25" });
    expect(sched.claim("g", "2026-11-25")).toBe(true);
    expect(sched.claim("g", "2026-11-25")).toBe(false);
    expect(isDue(sched.get("g") ?? post, at).due).toBe(false);
    expect(isDue(post, Date.parse("2026-11-24T22:30:00Z")).due).toBe(false);
  });
});

// The queries of server questions and misconceptions shown (migrations 110, 120), on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { MisconceptionStore } from "../../src/store/misconceptionStore.js";
import { ServerQuestionStore } from "../../src/store/serverQuestionStore.js";
import { storeEngines } from "../services/stores.js";

const row = (guildId: string, status: "draft" | "posted" | "bank") => ({
  guildId,
  authorId: "mod",
  lessonId: "finally",
  kind: "whole_output" as const,
  prompt: "What does this print?",
  code: "print(1)\n",
  status,
  derivedJson: "{}",
  createdAt: 1_790_000_000_000,
});

for (const engine of storeEngines())
  describe.skipIf(engine.skip !== null)(engine.title, () => {
    it("keeps a server's questions: insert, read, change status, list per server, remove", async () => {
      const store = await engine.open();
      const questions = new ServerQuestionStore(store);
      const a = await questions.insert(row("g1", "draft"));
      const b = await questions.insert(row("g1", "bank"));
      await questions.insert(row("g2", "bank"));
      expect(b).toBeGreaterThan(a);
      expect(await questions.get(a)).toMatchObject({
        id: a,
        guildId: "g1",
        status: "draft",
        code: "print(1)\n",
      });
      expect(await questions.get(999_999)).toBeNull();
      await questions.setStatus(a, "posted");
      expect((await questions.list("g1", ["bank"])).map((r) => r.id)).toEqual([b]);
      expect((await questions.list("g1", ["posted", "bank"])).map((r) => r.id)).toEqual([a, b]);
      expect((await questions.playable()).length).toBe(3);
      expect(await questions.remove(b)).toBe(true);
      expect(await questions.remove(b)).toBe(false);
      expect((await questions.list("g1", ["bank"])).length).toBe(0);
    });

    it("keeps who may make questions and whether they are mixed in, per server", async () => {
      const questions = new ServerQuestionStore(await engine.open());
      expect(await questions.settings("g")).toEqual({ creatorRoleId: null, mixServerQuestions: false });
      await questions.setSettings("g", { creatorRoleId: "role-1" });
      await questions.setSettings("g", { mixServerQuestions: true });
      expect(await questions.settings("g")).toEqual({ creatorRoleId: "role-1", mixServerQuestions: true });
      await questions.setSettings("g", { creatorRoleId: null });
      expect(await questions.settings("g")).toEqual({ creatorRoleId: null, mixServerQuestions: true });
      expect(await questions.settings("other")).toEqual({ creatorRoleId: null, mixServerQuestions: false });
    });

    it("counts the misconceptions a member showed, most often first, from a threshold", async () => {
      const shown = new MisconceptionStore(await engine.open());
      await shown.recordShown("g", "m", "finally/a", ["jump-skips-finally", "later-line"], 1000);
      await shown.recordShown("g", "m", "finally/b", ["jump-skips-finally"], 2000);
      await shown.recordShown("g", "m", "finally/c", ["finally-only-on-error"], 3000);
      await shown.recordShown("g", "other", "finally/c", ["finally-only-on-error"], 4000);
      await shown.recordShown("g", "m", "finally/c", [], 5000);
      expect(await shown.shown("g", "m", 2)).toEqual([
        { misconceptionId: "jump-skips-finally", times: 2, lastShownAt: 2000 },
      ]);
      expect((await shown.shown("g", "m", 1)).map((r) => [r.misconceptionId, r.times])).toEqual([
        ["jump-skips-finally", 2],
        ["finally-only-on-error", 1],
        ["later-line", 1],
      ]);
    });
  });

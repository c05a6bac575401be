// Fault: the PostgreSQL server goes down hard (an immediate shutdown, as after a crash) while answers are being
// written, and comes back. Every answer whose write was acknowledged is still there; writes during the outage
// fail quickly with an error instead of hanging; the same store (no reopen, no bot restart) works again once
// the server is back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../src/store/db.js";
import { QuizStore } from "../../src/store/quizStore.js";
import { type PostgresServer, postgresUnavailable, startPostgres } from "../services/postgres.js";

const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)(
  `PostgreSQL restarted under the store${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let server: PostgresServer;
    let store: Store;
    beforeAll(async () => {
      server = await startPostgres();
      store = await openStore({ url: await server.createDatabase(), path: "unused" });
    });
    afterAll(async () => {
      await store?.close();
      await server?.close();
    });

    it("loses no acknowledged answer, fails fast while down, and recovers by itself", async () => {
      const quiz = new QuizStore(store);
      let n = 0;
      const write = (member: string) => {
        const at = 1_764_900_000_000 + n++;
        return quiz.recordAttempt({
          guildId: "g",
          memberId: member,
          questionKey: `l/q${at % 7}`,
          correct: at % 2 === 0,
          points: 100,
          hintUsed: false,
          answeredAt: at,
          leitner: () => ({ box: 1, dueAt: at }),
        });
      };
      // Four writers answer in a loop; the server goes down under them.
      const acknowledged = new Map<string, number>();
      const failures: string[] = [];
      let writing = true;
      const writer = async (member: string) => {
        while (writing) {
          try {
            await write(member);
            acknowledged.set(member, (acknowledged.get(member) ?? 0) + 1);
          } catch (err) {
            failures.push((err as Error).message);
            await new Promise((r) => setTimeout(r, 20));
          }
        }
      };
      const writers = ["ann", "bob", "cat", "dan"].map(writer);
      while ([...acknowledged.values()].reduce((a, b) => a + b, 0) < 40)
        await new Promise((r) => setTimeout(r, 5));
      await server.crash();
      const downAt = Date.now();
      // While it is down, a write fails (quickly: the pool does not wait for ever) rather than hang.
      await expect(write("eve")).rejects.toThrow();
      expect(Date.now() - downAt).toBeLessThan(10_000);
      writing = false;
      await Promise.all(writers);
      const before = new Map(acknowledged);
      expect(failures.length).toBeGreaterThan(0);

      await server.start();
      // The same store, no reopen: the first query after the restart may still meet a dead pooled
      // connection; within a few tries it goes through.
      let recovered = false;
      for (let i = 0; i < 50 && !recovered; i++) {
        try {
          await write("ann");
          recovered = true;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(recovered).toBe(true);
      for (const [member, count] of before) {
        const totals = await quiz.totals("g", member);
        // At least every acknowledged write (one more for ann's recovery write; a write cut by the crash may
        // have committed without its acknowledgement reaching us, hence >=).
        expect(totals.answered).toBeGreaterThanOrEqual(count + (member === "ann" ? 1 : 0));
        expect(totals.answered).toBeLessThanOrEqual(count + (member === "ann" ? 2 : 1));
      }
    });
  },
);

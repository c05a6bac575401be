// The throwaway Redis the queue tests use: it answers, an outage and a restart on the same port, and a test
// process that dies takes its server with it.
import { spawn } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { pingRedis, type RedisServer, redisUnavailable, startRedis } from "./redis.js";

const unavailable = redisUnavailable();

describe.skipIf(unavailable !== null)(`test Redis${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.close();
  });

  it("answers on 127.0.0.1, stops, and starts again on the same port", async () => {
    redis = await startRedis();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await pingRedis(redis.port)).toBe(true);
    await redis.stop();
    expect(redis.running).toBe(false);
    expect(await pingRedis(redis.port)).toBe(false);
    await redis.start();
    expect(await pingRedis(redis.port)).toBe(true);
    await redis.kill();
    expect(await pingRedis(redis.port)).toBe(false);
  });

  it("dies with the process that started it", async () => {
    // A child node process starts a server, prints its port, then is killed with SIGKILL (no clean-up runs).
    const script = `import { startRedis } from ${JSON.stringify(new URL("./redis.ts", import.meta.url).pathname)};
      const r = await startRedis(); console.log(r.port); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
      child.once("exit", (code) => reject(new Error(`the child exited with ${code} before starting Redis`)));
    });
    expect(await pingRedis(port)).toBe(true);
    child.kill("SIGKILL");
    let up = true;
    for (let i = 0; i < 100 && up; i++) {
      await new Promise((r) => setTimeout(r, 50));
      up = await pingRedis(port);
    }
    expect(up).toBe(false);
  });
});

// A throwaway Redis server for tests: 127.0.0.1 on a free port, nothing saved to disk, gone with the tests.
//   const redis = await startRedis();   // redis.url = "redis://127.0.0.1:PORT"
//   await redis.stop(); await redis.start();   // an outage (same port, empty again: no persistence)
//   await redis.close();
import { connect } from "node:net";
import { freePort, missingBinary, type ServiceProcess, startService, waitUntilReady } from "./process.js";

export const REDIS_SERVER = "/usr/bin/redis-server";

/** Why Redis tests cannot run here (null: they can), for describe.skipIf's message. */
export const redisUnavailable = (): string | null => missingBinary(REDIS_SERVER, "redis-server");

export interface RedisServer {
  readonly port: number;
  /** redis://127.0.0.1:PORT */
  readonly url: string;
  /** Whether the server is up (between start() and stop()). */
  readonly running: boolean;
  /** Starts it again on the same port after stop(). */
  start(): Promise<void>;
  /** Stops it (SIGTERM, as `systemctl stop` does); its data is gone. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL): a crash. */
  kill(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

/** Sends PING over a raw socket; true on +PONG. */
export function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let reply = "";
    const finish = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.on("error", () => finish(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      reply += d.toString();
      if (reply.includes("\r\n")) finish(reply.startsWith("+PONG"));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const reason = redisUnavailable();
  if (reason) throw new Error(reason);
  const port = await freePort();
  let proc: ServiceProcess | null = null;
  const start = async () => {
    if (proc) return;
    const p = startService(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "/tmp"],
      { deathSignal: "SIGKILL" },
    );
    proc = p;
    await waitUntilReady(`redis-server on port ${port}`, p, () => pingRedis(port));
  };
  const halt = async (signal: NodeJS.Signals) => {
    const p = proc;
    proc = null;
    await p?.stop(signal);
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return proc !== null;
    },
    start,
    stop: () => halt("SIGTERM"),
    kill: () => halt("SIGKILL"),
    close: () => halt("SIGTERM"),
  };
}

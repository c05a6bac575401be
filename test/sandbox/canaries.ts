// Things the tests own on the host, so an escape is detected by looking at them, never by harm:
// a TCP and a UDP listener on 127.0.0.1, a unix socket and a secret file in a temp dir, and a `sleep`
// process carrying a secret in its environment (a stand-in for the bot's token).
import { randomBytes } from "node:crypto";
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

export { sleepersWithMarker } from "../../src/sandbox/doctor.js";

export class HostCanaries {
  tcpConnections = 0;
  udpPackets = 0;
  unixConnections = 0;

  private constructor(
    readonly dir: string,
    readonly secretFile: string,
    readonly secret: string,
    readonly sleeperPid: number,
    readonly tcpPort: number,
    readonly udpPort: number,
    readonly unixPath: string,
    private readonly closers: (() => Promise<void>)[],
  ) {}

  static async open(): Promise<HostCanaries> {
    const dir = await mkdtemp(join(tmpdir(), "tutor-hostile-"));
    await chmod(dir, 0o777); // open to everyone: only the sandbox's isolation keeps code out
    const secret = `canary-${randomBytes(12).toString("hex")}`;
    const secretFile = join(dir, "secret.txt");
    await writeFile(secretFile, secret, { mode: 0o644 });

    const sleeper = execa("/usr/bin/sleep", ["300"], { env: { BOT_TOKEN: secret }, extendEnv: false });
    sleeper.catch(() => undefined);

    const tcp: Server = createServer((s) => {
      canaries.tcpConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    const udp: UdpSocket = createSocket("udp4");
    udp.on("message", () => canaries.udpPackets++);
    await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
    const unixPath = join(dir, "bot.sock");
    const unix: Server = createServer((s) => {
      canaries.unixConnections++;
      s.destroy();
    });
    await new Promise<void>((r) => unix.listen(unixPath, r));
    await chmod(unixPath, 0o777);

    const tcpAddr = tcp.address();
    const canaries = new HostCanaries(
      dir,
      secretFile,
      secret,
      sleeper.pid ?? -1,
      typeof tcpAddr === "object" && tcpAddr ? tcpAddr.port : -1,
      udp.address().port,
      unixPath,
      [
        async () => {
          sleeper.kill("SIGKILL");
        },
        () => new Promise((r) => tcp.close(() => r())),
        () => new Promise((r) => unix.close(() => r())),
        () => new Promise((r) => udp.close(() => r())),
        () => rm(dir, { recursive: true, force: true }),
      ],
    );
    return canaries;
  }

  /** The test's sleep process is still alive (a signal from the sandbox did not reach it). */
  async sleeperAlive(): Promise<boolean> {
    const stat = await readFile(`/proc/${this.sleeperPid}/stat`, "utf8").catch(() => "");
    return stat !== "" && !/\) [ZX] /.test(stat);
  }

  /** Files in the canary dir other than the ones the test made. */
  async strangers(): Promise<string[]> {
    return (await readdir(this.dir)).filter((f) => f !== "secret.txt" && f !== "bot.sock");
  }

  async close(): Promise<void> {
    for (const close of this.closers) await close();
  }
}

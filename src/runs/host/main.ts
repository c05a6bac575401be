// The sandbox host: the sandbox driver, and the explainer of its runs, in a process of its own. Starting a sandbox forks the process
// that starts it, and the fork blocks that process while its page tables are copied (measured here:
// ~2 ms for a 46 MB Node process, ~4.5 ms at 116 MB, ~9 ms at 246 MB, more on a busy machine). In the
// host, those stalls never reach the bot's event loop. Started by host/client.ts; ends when the bot
// closes it or goes away.
import { getPriority, setPriority } from "node:os";
import { Writable } from "node:stream";
import pino from "pino";
import { createRunner, type Runner } from "../index.js";
import type { HostCall, HostReply } from "./protocol.js";

// The bot's gateway and buttons come first: the host, and the sandboxes it starts until their code drops
// to nice 10, run a little nicer, so saturated sandboxes never starve the bot of CPU. Only ever raised:
// lowering it (a bot started at nice 15) would need a privilege.
const HOST_NICENESS = 5;
if (getPriority() < HOST_NICENESS) setPriority(HOST_NICENESS);

const send = (reply: HostReply): void => {
  if (process.connected) process.send?.(reply);
};

// Log lines go to the bot, whose logger prints them (one stream, one format, one redaction list).
const toBot = new Writable({
  write(chunk: Buffer, _encoding, done) {
    send({ log: chunk.toString("utf8") });
    done();
  },
});

let sandbox: Runner | null = null;

async function handle(call: HostCall): Promise<unknown> {
  switch (call.op) {
    case "init": {
      const logger = pino({ level: call.config.LOG_LEVEL, base: { component: "sandbox-host" } }, toBot);
      // The explanation is worked out here too, so the bot's event loop does not pay for it.
      sandbox = createRunner(call.config, logger);
      return null;
    }
    case "run":
      return need().run({ ...call.request, onQueue: (position) => send({ id: call.id, queue: position }) });
    case "doctor":
      return need().doctor(call.options);
    case "availability":
      return need().availability();
    case "close":
      await sandbox?.close();
      sandbox = null;
      setImmediate(() => process.exit(0));
      return null;
  }
}

function need(): Runner {
  if (!sandbox) throw new Error("the sandbox host was not initialised");
  return sandbox;
}

process.on("message", (call: HostCall) => {
  handle(call).then(
    (value) => send({ id: call.id, ok: true, value } as HostReply),
    (err: unknown) =>
      send({ id: call.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});

// Ctrl-C in a terminal (or a service manager's SIGTERM) reaches the whole process group: the bot shuts
// down and then closes the host, so the host does not die first and leave the bot mid-request.
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);

// The bot went away (crash, kill): take every sandbox down with us. --die-with-parent does the rest.
process.on("disconnect", () => {
  const closing = sandbox?.close() ?? Promise.resolve();
  closing.finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});

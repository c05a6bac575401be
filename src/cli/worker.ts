// `tutor worker`: runs members' code for the bot from this process (this machine or another): runs the sandbox
// doctor first and refuses to take work below WORKER_MIN_TIER, then takes runs from the queue at
// RUNS_QUEUE_URL until stopped (SIGINT/SIGTERM: the runs in progress finish first).
// Exit 0 after a clean stop, 1 when the doctor refuses, 2 on a usage or setting error.
import { loadCoreConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { safeUrl } from "../runQueue/redis.js";
import { startRunWorker, tierRefusal } from "../runQueue/worker.js";
import { createSandbox } from "../sandbox/index.js";

const USAGE = "usage: tutor worker   (settings from .env: RUNS_QUEUE_URL, WORKER_MIN_TIER, SANDBOX_*)";

export async function main(args: string[]): Promise<number> {
  if (args.length > 0) {
    console.error(`tutor worker: unexpected argument ${args[0]}\n${USAGE}`);
    return 2;
  }
  const config = loadCoreConfig();
  if (!config.RUNS_QUEUE_URL) {
    console.error(
      "tutor worker: set RUNS_QUEUE_URL to the Redis the bot uses (e.g. redis://127.0.0.1:6379) in .env or the environment.",
    );
    return 2;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // The sandbox driver runs in this very process: unlike the bot, a worker has nothing to keep responsive but
  // its run locks (renewed every few seconds), so the few milliseconds a fork stalls it cost nothing, while
  // a sandbox host would add two process hops to every run. Killed, it takes its sandboxes with it at once
  // (bubblewrap's --die-with-parent).
  const sandbox = createSandbox(config, logger);
  // A doctor that could not observe (a busy machine) proves nothing: ask again before refusing.
  let report = await sandbox.doctor();
  for (let i = 0; i < 2 && report.inconclusive.length > 0; i++) report = await sandbox.doctor();
  const refusal = tierRefusal(report, config.WORKER_MIN_TIER);
  if (refusal) {
    console.error(`tutor worker: not taking runs: ${refusal}. \`npx tutor doctor\` shows every check.`);
    await sandbox.close();
    return 1;
  }
  // Tier B has no per-run cgroup: its sandbox runs one at a time, so the worker takes one at a time.
  const { cgroups } = await sandbox.availability();
  const concurrency = cgroups ? config.SANDBOX_CONCURRENCY : 1;
  const worker = startRunWorker({
    url: config.RUNS_QUEUE_URL,
    sandbox,
    concurrency,
    wallMs: config.SANDBOX_WALL_MS,
    logger,
  });
  await worker.ready();
  logger.info(
    { tier: report.tier, concurrency, queue: safeUrl(config.RUNS_QUEUE_URL), name: worker.name },
    "worker ready: taking runs",
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  logger.info({ signal }, "worker stopping: finishing the runs in progress");
  // A second signal stops waiting.
  const again = () => process.exit(1);
  process.once("SIGINT", again);
  process.once("SIGTERM", again);
  await worker.close();
  await sandbox.close();
  return 0;
}

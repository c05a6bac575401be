import { defineConfig } from "vitest/config";
import { postgresUnavailable } from "./test/services/postgres.js";
import { redisUnavailable } from "./test/services/redis.js";

// The end-to-end scenarios run a second time distributed (test/e2e/harness.ts): PostgreSQL, Redis, two
// `tutor worker` processes, two shards. Not those that set up their own services or start `npm start`.
const E2E_DISTRIBUTED = {
  include: ["test/e2e/**/*.test.ts"],
  exclude: [
    "test/e2e/npm-start.test.ts",
    "test/e2e/postgres-restart.test.ts",
    "test/e2e/queue-outage.test.ts",
  ],
};
/** Only the distributed run has two shards. */
const SHARDS_ONLY = "test/e2e/shards.test.ts";
// `bash scripts/setup.sh --tests` installs both; without them (and outside CI) that second run is left out,
// saying so, rather than failing on a machine set up for the quick tests only. In CI their absence fails.
const servicesMissing = [postgresUnavailable(), redisUnavailable()].filter((why) => why !== null);
if (servicesMissing.length > 0)
  console.warn(`The distributed end-to-end run is skipped: ${servicesMissing.join("; ")}.`);

const distributed = {
  extends: true as const,
  test: { name: "e2e-distributed", ...E2E_DISTRIBUTED, env: { E2E_MODE: "distributed" } },
};

export default defineConfig({
  test: {
    // Sandbox runs and the end-to-end bot are real processes: give them room on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "main", include: ["test/**/*.test.ts"], exclude: [SHARDS_ONLY] } },
      ...(servicesMissing.length > 0 ? [] : [distributed]),
    ],
  },
});

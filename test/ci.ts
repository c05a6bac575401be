// Whether the tests run in CI, where what a set-up should have installed must be there (a missing sandbox,
// PostgreSQL or Redis fails the run instead of skipping). Its own module: vitest.config.ts reads it too.

/** CI=true (GitHub Actions, GitLab, most others) or CI=1; "false", "0" and "" are not CI. */
export function inCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && value !== "false" && value !== "0";
}

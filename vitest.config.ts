import { defineConfig } from "vitest/config";

// Two projects: unit tests beside the code (no cluster), and e2e tests in
// test/e2e that share one real cluster per run (brought up by globalSetup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["operators/**/*.test.ts", "hack/**/*.test.ts", "bench/**/*.test.ts", "examples/**/*.test.ts"],
          environment: "node",
          // Tests assert on behaviour; logs of expected failures would only be noise.
          env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "silent" },
          // Property tests run hundreds of cases; in CI they share two cores with the e2e cluster.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          // In-process informers and controllers of some tests log; the manager logs to its own file.
          env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

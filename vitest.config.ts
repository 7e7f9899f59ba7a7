import { defineConfig } from "vitest/config";

// Two projects: unit tests beside the code (no cluster), and e2e tests in
// test/e2e that share one real cluster per run (brought up by globalSetup).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["operators/**/*.test.ts", "hack/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isZeroIntOrPercent } from "../../../api/index.ts";
import { deployment } from "../testdata/fixtures.ts";
import { deploymentFenceposts, minAvailable, resolveFenceposts, scaledValue } from "./fenceposts.ts";

describe("scaledValue", () => {
  it("takes integers as they are and scales percentages", () => {
    expect(scaledValue(3, 10, true)).toBe(3);
    expect(scaledValue("25%", 10, true)).toBe(3);
    expect(scaledValue("25%", 10, false)).toBe(2);
    expect(scaledValue("100%", 7, false)).toBe(7);
    expect(scaledValue("0%", 7, true)).toBe(0);
    expect(scaledValue(undefined, 7, true)).toBe(0);
  });

  it("resolves what is not a percentage to 0, as upstream's callers do", () => {
    expect(scaledValue("25", 10, true)).toBe(0);
  });

  it("agrees with Go's float64 ceil/floor", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100_000 }), (pct, total) => {
        expect(scaledValue(`${pct}%`, total, true)).toBe(Math.ceil((pct * total) / 100));
        expect(scaledValue(`${pct}%`, total, false)).toBe(Math.floor((pct * total) / 100));
      }),
    );
  });
});

describe("resolveFenceposts", () => {
  it.each([
    [3, "25%", "25%", 1, 0],
    [10, "25%", "25%", 3, 2],
    [1, "0%", "10%", 0, 1],
    [4, 0, "10%", 0, 1],
    [4, 2, 0, 2, 0],
  ])("%i replicas at %s/%s → (%i, %i)", (replicas, surge, unavailable, wantSurge, wantUnavailable) => {
    expect(resolveFenceposts(surge, unavailable, replicas)).toEqual({ maxSurge: wantSurge, maxUnavailable: wantUnavailable });
  });
});

describe("deploymentFenceposts", () => {
  it("uses the Deployment's strategy and replicas", () => {
    expect(deploymentFenceposts(deployment({ replicas: 10 }))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(deploymentFenceposts(deployment({ replicas: 3 }))).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(deploymentFenceposts(deployment({ replicas: 1, maxSurge: "0%", maxUnavailable: "10%" }))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it("has no unavailability at 0 replicas, and never more than replicas", () => {
    expect(deploymentFenceposts(deployment({ replicas: 0, maxSurge: "0%", maxUnavailable: "10%" }))).toEqual({ maxSurge: 0, maxUnavailable: 0 });
    expect(deploymentFenceposts(deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 5 }))).toEqual({ maxSurge: 0, maxUnavailable: 2 });
    expect(minAvailable(deployment({ replicas: 2, maxSurge: 0, maxUnavailable: 5 }))).toBe(0);
  });

  it("is 0/0 for Recreate", () => {
    expect(deploymentFenceposts(deployment({ replicas: 10, strategy: { type: "Recreate" } }))).toEqual({ maxSurge: 0, maxUnavailable: 0 });
  });

  it("always allows progress: surge or unavailability, within [0, replicas] unavailable", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 200 }).map((p) => `${p}%`)),
        fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 100 }).map((p) => `${p}%`)),
        (replicas, surge, unavailable) => {
          // Validation rejects an explicit 0/0.
          fc.pre(!(isZeroIntOrPercent(surge) && isZeroIntOrPercent(unavailable)));
          const f = deploymentFenceposts(deployment({ replicas, maxSurge: surge, maxUnavailable: unavailable }));
          expect(f.maxSurge + f.maxUnavailable).toBeGreaterThan(0);
          expect(f.maxUnavailable).toBeLessThanOrEqual(replicas);
        },
      ),
    );
  });
});

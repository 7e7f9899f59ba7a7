import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultWatchBackoff, reconnectDelay, watchTimeoutSeconds } from "./backoff.ts";

describe("reconnectDelay", () => {
  it("stays within [ceiling/2, ceiling], the ceiling doubling from 800 ms up to 30 s", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(30_000, 800 * 2 ** attempt);
        const delay = reconnectDelay(defaultWatchBackoff, attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it("is 400–800 ms first and reaches the cap after six doublings", () => {
    expect(reconnectDelay(defaultWatchBackoff, 0, () => 0)).toBe(400);
    expect(reconnectDelay(defaultWatchBackoff, 0, () => 1)).toBe(800);
    expect(reconnectDelay(defaultWatchBackoff, 5, () => 1)).toBe(25_600);
    expect(reconnectDelay(defaultWatchBackoff, 6, () => 1)).toBe(30_000);
  });
});

describe("watchTimeoutSeconds", () => {
  it("is in [min, 2·min)", () => {
    expect(watchTimeoutSeconds(300, () => 0)).toBe(300);
    expect(watchTimeoutSeconds(300, () => 0.9999)).toBe(599);
  });
});

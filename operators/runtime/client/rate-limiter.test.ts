import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limiter.ts";

/** A clock the test moves, and the waits the bucket asked for. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

describe("TokenBucket", () => {
  it("lets a burst go at once, then spaces requests 1/qps apart, in the order they asked", async () => {
    const t = fakeTime();
    const bucket = new TokenBucket({ qps: 20, burst: 3 }, t.now, t.sleep);
    for (let i = 0; i < 6; i++) await bucket.take();
    // Three from the full bucket; then each waits one more 50 ms slot than the one before.
    expect(t.waits.map((w) => Math.round(w))).toEqual([50, 100, 150]);
  });

  it("refills with time, never beyond the burst", async () => {
    const t = fakeTime();
    const bucket = new TokenBucket({ qps: 10, burst: 2 }, t.now, t.sleep);
    await bucket.take();
    await bucket.take();
    t.advance(10_000);
    await bucket.take();
    await bucket.take();
    await bucket.take();
    expect(t.waits.map((w) => Math.round(w))).toEqual([100]);
  });

  it("refuses a limit that would never let anything through", () => {
    expect(() => new TokenBucket({ qps: 0, burst: 1 })).toThrow(/qps > 0/);
    expect(() => new TokenBucket({ qps: 5, burst: 0 })).toThrow(/burst >= 1/);
  });
});

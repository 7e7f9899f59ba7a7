import { describe, expect, it } from "vitest";
import { FakeClock } from "./fake-clock.ts";
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  exponentialDelay,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
} from "./rate-limiters.ts";

describe("ItemExponentialRateLimiter", () => {
  it("doubles from 5 ms per failure and caps at 1000 s", () => {
    const l = new ItemExponentialRateLimiter<string>();
    const delays = Array.from({ length: 25 }, () => l.when("a"));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(5 * 2 ** 17); // 655.36 s, still below the cap
    expect(delays[18]).toBe(1_000_000);
    expect(delays[24]).toBe(1_000_000);
    expect(l.numRequeues("a")).toBe(25);
  });

  it("keeps a separate history per item and forget resets it", () => {
    const l = new ItemExponentialRateLimiter<string>();
    l.when("a");
    l.when("a");
    expect(l.when("b")).toBe(5);
    expect(l.when("a")).toBe(20);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
    expect(l.when("a")).toBe(5);
    expect(l.numRequeues("b")).toBe(1);
  });

  it("never overflows for huge failure counts", () => {
    expect(exponentialDelay(5, 5000, 1_000_000)).toBe(1_000_000);
    expect(exponentialDelay(5, 1023, 1_000_000)).toBe(1_000_000);
  });
});

describe("BucketRateLimiter", () => {
  it("allows a burst, then spaces items at 1/qps, and refills over time", () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>(clock, 10, 100);
    const burst = Array.from({ length: 100 }, (_, i) => l.when(`k${i}`));
    expect(burst.every((d) => d === 0)).toBe(true);
    expect(l.when("x")).toBeCloseTo(100);
    expect(l.when("y")).toBeCloseTo(200);
    clock.advance(1000); // ten tokens come back, two of them repay the reservations above
    expect(l.when("z")).toBeCloseTo(0);
    expect(l.numRequeues("x")).toBe(0);
  });
});

describe("MaxOfRateLimiter and the default controller limiter", () => {
  it("returns the longest delay of its limiters and forgets in all of them", () => {
    const clock = new FakeClock();
    const l = defaultControllerRateLimiter<string>(clock);
    // Within the burst, the per-item backoff decides.
    expect([l.when("a"), l.when("a"), l.when("a")]).toEqual([5, 10, 20]);
    expect(l.numRequeues("a")).toBe(3);
    l.forget("a");
    expect(l.numRequeues("a")).toBe(0);
    // Past the burst, the bucket decides even for a fresh item.
    for (let i = 0; i < 100; i++) l.when(`burst-${i}`);
    expect(l.when("fresh")).toBeGreaterThan(5);
  });

  it("is 0 with no limiters", () => {
    expect(new MaxOfRateLimiter<string>().when("a")).toBe(0);
  });
});

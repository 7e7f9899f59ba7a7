import { describe, expect, it } from "vitest";
import { metricValue } from "../metrics.ts";
import { FakeClock } from "./fake-clock.ts";
import { ItemExponentialRateLimiter } from "./rate-limiters.ts";
import { RateLimitingQueue } from "./rate-limiting-queue.ts";

function newQueue(name?: string) {
  const clock = new FakeClock();
  const q = new RateLimitingQueue<string>({ clock, rateLimiter: new ItemExponentialRateLimiter<string>(5, 1000), name });
  return { clock, q };
}

describe("RateLimitingQueue.addAfter", () => {
  it("adds the item only when its delay has passed", () => {
    const { clock, q } = newQueue();
    q.addAfter("a", 100);
    expect(q.len()).toBe(0);
    clock.advance(99);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numWaiting()).toBe(0);
  });

  it("adds at once for a zero or negative delay", () => {
    const { q } = newQueue();
    q.addAfter("a", 0);
    q.addAfter("b", -5);
    expect(q.len()).toBe(2);
  });

  it("keeps the earlier deadline when the same key is delayed twice", () => {
    const { clock, q } = newQueue();
    q.addAfter("a", 500);
    q.addAfter("a", 100); // earlier: replaces
    q.addAfter("a", 300); // later: ignored
    clock.advance(100);
    expect(q.len()).toBe(1);
    clock.advance(1000);
    expect(q.len()).toBe(1); // no second add from the replaced or ignored deadlines
    expect(q.numWaiting()).toBe(0);
  });

  it("releases items in deadline order, not in call order", async () => {
    const { clock, q } = newQueue();
    q.addAfter("late", 300);
    q.addAfter("early", 100);
    q.addAfter("middle", 200);
    clock.advance(300);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(["early", "middle", "late"]);
  });

  it("cancels delayed adds on shutdown", async () => {
    const { clock, q } = newQueue();
    q.addAfter("a", 100);
    q.shutDown();
    expect(q.numWaiting()).toBe(0);
    clock.advance(1000);
    expect(q.len()).toBe(0);
    q.addAfter("b", 10);
    expect(q.numWaiting()).toBe(0);
    expect(await q.get()).toBeUndefined();
  });
});

describe("RateLimitingQueue.addRateLimited", () => {
  it("backs off exponentially per item up to the cap, and forget resets", () => {
    const { clock, q } = newQueue();
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      q.addRateLimited("a");
      delays.push(clock.pendingDelays()[0]!);
      clock.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    expect(q.numRequeues("a")).toBe(10);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
    q.addRateLimited("a");
    expect(clock.pendingDelays()).toEqual([5]);
  });

  it("counts every delayed requeue as a retry", async () => {
    const { clock, q } = newQueue("retries-test");
    q.addRateLimited("a");
    q.addAfter("b", 10);
    q.addAfter("c", 0);
    clock.advance(10);
    expect(await metricValue("workqueue_retries_total", { name: "retries-test", controller: "retries-test" })).toBe(3);
  });

  it("uses client-go's default controller limiter when none is given", () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited("a");
    q.addRateLimited("a");
    expect(clock.pendingDelays()).toEqual([5]); // the 10 ms deadline is later, so the 5 ms one is kept
    expect(q.numRequeues("a")).toBe(2);
  });
});

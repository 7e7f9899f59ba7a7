import { describe, expect, it } from "vitest";
import { slowStartBatch } from "./slow-start.ts";

/** Records the size of each batch: the calls in flight together. */
function recorder(failAt?: Set<number>) {
  const batches: number[] = [];
  let calls = 0;
  let inFlight = 0;
  const fn = async () => {
    const call = ++calls;
    if (inFlight++ === 0) batches.push(0);
    batches[batches.length - 1]!++;
    await Promise.resolve();
    inFlight--;
    if (failAt?.has(call)) throw new Error(`call ${call} failed`);
  };
  return { fn, batches, calls: () => calls };
}

describe("slowStartBatch", () => {
  it("runs batches of 1, 2, 4, ... up to the count", async () => {
    const r = recorder();
    expect(await slowStartBatch(10, 1, r.fn)).toEqual({ successes: 10 });
    expect(r.batches).toEqual([1, 2, 4, 3]);
  });

  it("starts from the initial batch size", async () => {
    const r = recorder();
    await slowStartBatch(7, 2, r.fn);
    expect(r.batches).toEqual([2, 4, 1]);
  });

  it("finishes the batch with a failure, then skips the rest", async () => {
    const r = recorder(new Set([2]));
    const result = await slowStartBatch(10, 1, r.fn);
    expect(r.batches).toEqual([1, 2]);
    expect(result.successes).toBe(2);
    expect((result.error as Error).message).toBe("call 2 failed");
  });

  it("stops after one call when the first fails (the quota case: one request, one event)", async () => {
    const r = recorder(new Set([1]));
    const result = await slowStartBatch(500, 1, r.fn);
    expect(r.calls()).toBe(1);
    expect(result.successes).toBe(0);
  });

  it("does nothing for 0", async () => {
    const r = recorder();
    expect(await slowStartBatch(0, 1, r.fn)).toEqual({ successes: 0 });
    expect(r.calls()).toBe(0);
  });
});

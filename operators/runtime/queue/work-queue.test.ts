import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { metricValue, registry } from "../metrics.ts";
import { FakeClock } from "./fake-clock.ts";
import { WorkQueue } from "./work-queue.ts";

describe("WorkQueue", () => {
  it("collapses duplicate adds of a waiting item", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    q.add("b");
    q.add("a");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(q.len()).toBe(0);
  });

  it("never hands one key to two workers at once", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    const first = await q.get();
    q.add("a");
    // The key is dirty again but held: a second worker must not get it.
    expect(q.len()).toBe(0);
    let second: string | undefined;
    const pending = q.get().then((k) => (second = k));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(first!);
    await pending;
    expect(second).toBe("a");
  });

  it("re-queues an item added during processing exactly once, when done", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    const k = await q.get();
    q.add("a");
    q.add("a");
    q.done(k!);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("a");
    q.done("a");
    expect(q.len()).toBe(0);
  });

  it("does not re-queue an item that was not added during processing", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    q.done((await q.get())!);
    expect(q.len()).toBe(0);
  });

  it("ignores a second done() for one get()", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    const k = (await q.get())!;
    q.done(k);
    q.add("a");
    q.done(k); // "a" is queued, not held: this done() is a caller bug and must not queue it twice
    expect(q.len()).toBe(1);
  });

  it("wakes waiting workers in order, one item each", async () => {
    const q = new WorkQueue<string>();
    const w1 = q.get();
    const w2 = q.get();
    q.add("x");
    q.add("y");
    expect(await w1).toBe("x");
    expect(await w2).toBe("y");
  });

  it("resolves waiting and later get() with undefined after shutDown and ignores adds", async () => {
    const q = new WorkQueue<string>();
    const waiting = q.get();
    q.add("queued-before-shutdown");
    const taken = await waiting;
    q.add("b");
    q.shutDown();
    expect(await q.get()).toBeUndefined();
    q.add("c");
    expect(q.len()).toBe(1); // "b" stays but is never handed out
    expect(await q.get()).toBeUndefined();
    expect(taken).toBe("queued-before-shutdown");
  });

  it("resolves every blocked get() with undefined on shutDown", async () => {
    const q = new WorkQueue<string>();
    const gets = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(gets)).toEqual([undefined, undefined]);
  });

  it("shutDownWithDrain waits for in-flight items and does not re-queue dirty ones", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    q.add("b");
    const a = (await q.get())!;
    const b = (await q.get())!;
    q.add("a");
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => (drained = true));
    q.done(a);
    await Promise.resolve();
    expect(drained).toBe(false);
    q.done(b);
    await drain;
    expect(drained).toBe(true);
    expect(await q.get()).toBeUndefined();
  });

  it("shutDownWithDrain resolves at once when nothing is in flight", async () => {
    const q = new WorkQueue<string>();
    q.add("a");
    await q.shutDownWithDrain();
    expect(q.isShuttingDown()).toBe(true);
  });

  it("keeps the guarantees under any sequence of adds, takes and dones", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), key: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant("take" as const) }),
      fc.record({ kind: fc.constant("done" as const), index: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const q = new WorkQueue<number>();
        const held: number[] = [];
        const needsWork = new Set<number>(); // added since last taken
        for (const o of ops) {
          if (o.kind === "add") {
            q.add(o.key);
            needsWork.add(o.key);
          } else if (o.kind === "take" && q.len() > 0) {
            const k = (await q.get())!;
            expect(held).not.toContain(k);
            held.push(k);
            needsWork.delete(k);
          } else if (o.kind === "done" && held.length > 0) {
            const [k] = held.splice(o.index % held.length, 1);
            q.done(k!);
          }
        }
        for (const k of held.splice(0)) q.done(k);
        // Everything added after it was last taken is still delivered, once.
        const delivered: number[] = [];
        while (q.len() > 0) {
          const k = (await q.get())!;
          delivered.push(k);
          q.done(k);
        }
        expect(delivered.sort()).toEqual([...needsWork].sort());
      }),
    );
  });
});

describe("WorkQueue metrics", () => {
  it("records depth, adds, durations and in-flight work under the queue name", async () => {
    const clock = new FakeClock();
    const name = "metrics-test";
    const labels = { name, controller: name };
    const q = new WorkQueue<string>({ name, clock });
    q.add("a");
    q.add("a");
    q.add("b");
    expect(await metricValue("workqueue_adds_total", labels)).toBe(2);
    expect(await metricValue("workqueue_depth", labels)).toBe(2);

    clock.advance(1500);
    const a = (await q.get())!;
    expect(await metricValue("workqueue_depth", labels)).toBe(1);
    clock.advance(2000);
    expect(await metricValue("workqueue_unfinished_work_seconds", labels)).toBe(2);
    expect(await metricValue("workqueue_longest_running_processor_seconds", labels)).toBe(2);
    q.done(a);
    expect(await metricValue("workqueue_unfinished_work_seconds", labels)).toBe(0);

    const text = await registry.getSingleMetricAsString("workqueue_queue_duration_seconds");
    expect(text).toContain('workqueue_queue_duration_seconds_sum{name="metrics-test",controller="metrics-test"} 1.5');
    const work = await registry.getSingleMetricAsString("workqueue_work_duration_seconds");
    expect(work).toContain('workqueue_work_duration_seconds_sum{name="metrics-test",controller="metrics-test"} 2');
  });
});

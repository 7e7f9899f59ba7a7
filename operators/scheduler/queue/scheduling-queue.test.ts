import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FakeClock } from "../../runtime/queue/fake-clock.ts";
import type { PodLike } from "../framework/objects.ts";
import { makeNode, makePod } from "../framework/testing.ts";
import type { QueuedPodInfo } from "./scheduling-queue.ts";
import { isPodUpdated, SchedulingQueue } from "./scheduling-queue.ts";

function setup() {
  const clock = new FakeClock();
  return { clock, queue: new SchedulingQueue({ clock }) };
}

async function popKey(queue: SchedulingQueue): Promise<string | undefined> {
  return (await queue.pop())?.key;
}

/** Pops the pod and fails its cycle with these plugins. */
async function fail(queue: SchedulingQueue, plugins: string[]): Promise<QueuedPodInfo> {
  const info = await queue.pop();
  if (!info) throw new Error("queue empty");
  queue.requeueUnschedulable(info, new Set(plugins));
  return info;
}

describe("SchedulingQueue: activeQ", () => {
  it("pops the highest priority first, then the earliest enqueued", async () => {
    const { clock, queue } = setup();
    queue.add(makePod("low", { priority: 0 }));
    clock.advance(1);
    queue.add(makePod("high", { priority: 100 }));
    clock.advance(1);
    queue.add(makePod("mid", { priority: 10 }));
    clock.advance(1);
    queue.add(makePod("low2"));
    expect([await popKey(queue), await popKey(queue), await popKey(queue), await popKey(queue)]).toEqual([
      "default/high",
      "default/mid",
      "default/low",
      "default/low2",
    ]);
  });

  it("makes pop wait for a pod, and resolves undefined once closed", async () => {
    const { queue } = setup();
    const waiting = queue.pop();
    queue.add(makePod("p"));
    expect((await waiting)?.key).toBe("default/p");
    const never = queue.pop();
    queue.close();
    expect(await never).toBeUndefined();
    expect(await queue.pop()).toBeUndefined();
  });

  it("never holds a pod twice", async () => {
    const { queue } = setup();
    queue.add(makePod("p"));
    queue.add(makePod("p", { labels: { v: "2" } }));
    expect(queue.contents().active).toEqual(["default/p"]);
    const info = await queue.pop();
    expect(info?.pod.metadata?.labels).toEqual({ v: "2" });
    queue.add(makePod("p")); // an informer resync while in flight
    expect(queue.contents()).toMatchObject({ active: [], inFlight: ["default/p"] });
  });
});

describe("SchedulingQueue: backoff", () => {
  it("backs off 1 s, doubling per attempt, up to 10 s", () => {
    const { queue } = setup();
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => queue.backoffDuration(a))).toEqual([0, 1000, 2000, 4000, 8000, 10000, 10000, 10000]);
  });

  it("moves a pod that failed without a known cause to activeQ when its backoff expires", async () => {
    const { clock, queue } = setup();
    queue.add(makePod("p"));
    for (const wait of [1000, 2000, 4000, 8000, 10000, 10000]) {
      await fail(queue, []);
      expect(queue.contents().backoff).toEqual(["default/p"]);
      clock.advance(wait - 1);
      expect(queue.contents().active).toEqual([]);
      clock.advance(1);
      expect(queue.contents().active).toEqual(["default/p"]);
    }
  });
});

describe("SchedulingQueue: unschedulable pods", () => {
  it("parks a pod until an event one of its rejecting plugins registered", async () => {
    const { clock, queue } = setup();
    queue.add(makePod("p"));
    await fail(queue, ["NodeResourcesFit"]);
    expect(queue.contents().unschedulable).toEqual(["default/p"]);
    queue.assignedPodAdded(makePod("other", { nodeName: "n" }));
    queue.nodeUpdated(makeNode("n"), makeNode("n", { labels: { x: "y" } }));
    expect(queue.contents().unschedulable).toEqual(["default/p"]);
    // A bound pod deleted frees resources: back to backoffQ (still within 1 s), then activeQ.
    queue.assignedPodDeleted(makePod("other", { nodeName: "n" }));
    expect(queue.contents().backoff).toEqual(["default/p"]);
    clock.advance(1000);
    expect(queue.contents().active).toEqual(["default/p"]);
  });

  it("moves straight to activeQ when the backoff is already over", async () => {
    const { clock, queue } = setup();
    queue.add(makePod("p"));
    await fail(queue, ["NodeResourcesFit"]);
    clock.advance(5000);
    queue.nodeAdded(makeNode("new"));
    expect(queue.contents().active).toEqual(["default/p"]);
  });

  it("routes node updates by what changed", async () => {
    const { queue } = setup();
    queue.add(makePod("tainted"));
    queue.add(makePod("selector"));
    await fail(queue, ["TaintToleration"]);
    await fail(queue, ["NodeAffinity"]);
    queue.nodeUpdated(makeNode("n"), makeNode("n", { labels: { disk: "ssd" } }));
    expect(queue.contents()).toMatchObject({ unschedulable: ["default/tainted"], backoff: ["default/selector"] });
    queue.nodeUpdated(makeNode("n"), makeNode("n", { unschedulable: true }));
    expect(queue.contents()).toMatchObject({ unschedulable: [], backoff: ["default/selector", "default/tainted"] });
    // A heartbeat changes nothing relevant: no event.
    queue.nodeUpdated(makeNode("n"), makeNode("n"));
  });

  it("does not park a pod whose cycle overlapped a cluster event", async () => {
    const { queue } = setup();
    queue.add(makePod("p"));
    const info = await queue.pop();
    queue.nodeAdded(makeNode("new")); // arrives while the pod is being scheduled
    if (info) queue.requeueUnschedulable(info, new Set(["NodeResourcesFit"]));
    expect(queue.contents().backoff).toEqual(["default/p"]);
  });

  it("gives parked pods another try after 5 minutes (flushed every 30 s)", async () => {
    const { clock, queue } = setup();
    queue.add(makePod("p"));
    await fail(queue, ["NodeAffinity"]);
    clock.advance(5 * 60_000);
    expect(queue.contents().unschedulable).toEqual(["default/p"]);
    clock.advance(30_000);
    expect(queue.contents().active).toEqual(["default/p"]);
  });

  it("requeues a parked pod whose spec changed, not one whose status changed", async () => {
    const { queue } = setup();
    const pod = makePod("p");
    queue.add(pod);
    await fail(queue, ["NodeAffinity"]);
    queue.update({ ...pod, status: { phase: "Pending", nominatedNodeName: "" } });
    expect(queue.contents().unschedulable).toEqual(["default/p"]);
    queue.update(makePod("p", { nodeSelector: { disk: "ssd" } }));
    expect(queue.contents().backoff).toEqual(["default/p"]);
    expect(isPodUpdated(pod, { ...pod, metadata: { ...pod.metadata, resourceVersion: "9" } as PodLike["metadata"] })).toBe(false);
  });

  it("drops a pod deleted while in flight", async () => {
    const { queue } = setup();
    queue.add(makePod("p"));
    const info = await queue.pop();
    queue.delete("default/p");
    if (info) queue.requeueUnschedulable(info, new Set(["NodeResourcesFit"]));
    expect(queue.length).toBe(0);
    expect(queue.contents().inFlight).toEqual([]);
  });

  it("holds gated pods until their scheduling gates are removed", async () => {
    const { queue } = setup();
    queue.add(makePod("p", { schedulingGates: ["example.com/wait"] }));
    expect(queue.contents().gated).toEqual(["default/p"]);
    queue.nodeAdded(makeNode("n"));
    expect(queue.contents().gated).toEqual(["default/p"]);
    queue.update(makePod("p"));
    expect(await popKey(queue)).toBe("default/p");
  });
});

describe("SchedulingQueue (property)", () => {
  it("keeps every pod in exactly one place, whatever happens", async () => {
    const name = fc.constantFrom("a", "b", "c", "d");
    const op = fc.oneof(
      fc.record({ t: fc.constantFrom("add" as const, "update" as const, "delete" as const), name }),
      fc.record({ t: fc.constant("pop" as const) }),
      fc.record({ t: fc.constant("fail" as const), plugins: fc.subarray(["NodeResourcesFit", "NodeAffinity", "Custom"]) }),
      fc.record({ t: fc.constant("done" as const) }),
      fc.record({ t: fc.constantFrom("nodeAdd" as const, "podDelete" as const) }),
      fc.record({ t: fc.constant("advance" as const), ms: fc.constantFrom(500, 5000, 400_000) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 60 }), async (ops) => {
        const clock = new FakeClock();
        const queue = new SchedulingQueue({ clock });
        const live = new Set<string>();
        const flying: QueuedPodInfo[] = [];
        for (const o of ops) {
          switch (o.t) {
            case "add":
              queue.add(makePod(o.name));
              live.add(`default/${o.name}`);
              break;
            case "update":
              queue.update(makePod(o.name, { labels: { v: String(clock.now()) } }));
              live.add(`default/${o.name}`);
              break;
            case "delete":
              queue.delete(`default/${o.name}`);
              live.delete(`default/${o.name}`);
              break;
            case "pop":
              if (queue.contents().active.length > 0) {
                const info = await queue.pop();
                if (info) flying.push(info);
              }
              break;
            case "fail": {
              const info = flying.shift();
              if (info) queue.requeueUnschedulable(info, new Set(o.plugins));
              break;
            }
            case "done": {
              const info = flying.shift();
              if (info) {
                queue.done(info.key);
                live.delete(info.key);
              }
              break;
            }
            case "nodeAdd":
              queue.nodeAdded(makeNode("n"));
              break;
            case "podDelete":
              queue.assignedPodDeleted(makePod("x", { nodeName: "n" }));
              break;
            case "advance":
              clock.advance(o.ms);
              break;
          }
          const c = queue.contents();
          const all = [...c.active, ...c.backoff, ...c.unschedulable, ...c.gated, ...c.inFlight.filter((k) => live.has(k))];
          expect(new Set(all).size).toBe(all.length);
          // Every pod that is still wanted is somewhere (nothing lost).
          for (const key of live) expect(all).toContain(key);
        }
        queue.close();
      }),
      { numRuns: 1000 },
    );
  });
});

import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/index.ts";
import type { ResourceClient } from "../../runtime/client/index.ts";
import type { EventRecorder } from "../../runtime/events/recorder.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import { SchedulerCache } from "../cache/cache.ts";
import { newProfile } from "../framework/profile.ts";
import { makeNode, makePod } from "../framework/testing.ts";
import { SchedulingQueue } from "../queue/scheduling-queue.ts";
import { MirrorScheduler } from "./scheduler.ts";

/** An API whose writes wait until the test answers them, in the order they were sent. */
function heldApi() {
  const writes: { what: string; answer: () => void }[] = [];
  const hold = <T>(what: string, value: T) => new Promise<T>((resolve) => writes.push({ what, answer: () => resolve(value) }));
  const pods = {
    patch: (key: { name: string }) => hold(`nodeName ${key.name}`, { metadata: { name: key.name, namespace: "ns", uid: key.name } }),
    applyStatus: (obj: Pod) => hold(`status ${obj.metadata.name}`, obj),
  } as unknown as ResourceClient<Pod>;
  return { pods, writes };
}

const settle = async () => {
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
};

describe("MirrorScheduler", () => {
  it("binds a backlog a few pods at a time, each pod's PodScheduled right behind its nodeName", async () => {
    const cache = new SchedulerCache();
    cache.upsertNode(makeNode("n1", { pods: 1000, cpu: "100" }));
    const queue = new SchedulingQueue();
    const store = new Map<string, Pod>();
    for (let i = 0; i < 40; i++) {
      const pod = { ...makePod(`p${i}`, { namespace: "ns", uid: `p${i}` }), apiVersion: "core.mirrorkube.dev/v1alpha1", kind: "Pod" } as unknown as Pod;
      store.set(`ns/p${i}`, pod);
      queue.add(pod);
    }
    const mirrorPods = { get: (k: string) => store.get(k) } as unknown as ReadonlyStore<Pod>;
    const recorder = { event: () => undefined } as unknown as EventRecorder;
    const { pods, writes } = heldApi();
    const scheduler = new MirrorScheduler({ cache, queue, profile: newProfile(), pods, mirrorPods, recorder, maxBindsInFlight: 4 });
    const stop = new AbortController();
    const running = scheduler.start(stop.signal);

    await settle();
    // Four binds started, the loop waits for a slot: the backlog stays queued.
    expect(writes.map((w) => w.what)).toEqual(["nodeName p0", "nodeName p1", "nodeName p2", "nodeName p3"]);
    expect(queue.contents().active).toHaveLength(36);

    // Answer every write in the order sent: a pod's status write never waits behind more than the slots' other writes.
    const order: string[] = [];
    while (order.length < 80) {
      const next = writes.shift();
      if (!next) break;
      order.push(next.what);
      next.answer();
      await settle();
    }
    expect(order).toHaveLength(80);
    for (let i = 0; i < 40; i++) {
      const gap = order.indexOf(`status p${i}`) - order.indexOf(`nodeName p${i}`);
      expect(gap, `p${i}`).toBeGreaterThan(0);
      expect(gap, `p${i}`).toBeLessThanOrEqual(4);
    }
    stop.abort();
    await running;
  });
});

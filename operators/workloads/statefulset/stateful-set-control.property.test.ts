import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/index.ts";
import type { PodAction, StatefulSetPlan } from "./actions.ts";
import { getOrdinal, isRunningAndAvailable, isRunningAndReady, isTerminating, maxUnavailable, podRevision, startOrdinal } from "./stateful-set-utils.ts";
import type { Behaviour } from "./testdata/simulator.ts";
import { prng, World } from "./testdata/simulator.ts";
import { makeSet, member } from "./testing.ts";

// The "done when" for the pure update planner, over random sets,
// strategies and pod behaviour: an update never makes more than
// maxUnavailable replicas unavailable, never touches ordinals below the
// partition, and OrderedReady never creates ordinal n+1 before n is ready
// (nor creates or deletes more than one pod at a time, deleting from the top).

// A property run takes seconds: more than the default timeout on a busy machine.
const V1 = "web-v1";
const V2 = "web-v2";

const settings = fc.record({
  replicas: fc.integer({ min: 1, max: 8 }),
  start: fc.integer({ min: 0, max: 3 }),
  parallel: fc.boolean(),
  maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`)),
  partition: fc.integer({ min: 0, max: 9 }),
  minReadySeconds: fc.integer({ min: 0, max: 3 }),
  seed: fc.integer(),
  start_: fc.double({ min: 0.1, max: 1, noNaN: true }),
  vanish: fc.double({ min: 0.1, max: 1, noNaN: true }),
});
type Settings = typeof settings extends fc.Arbitrary<infer T> ? T : never;

function world(s: Settings, replicas = s.replicas): World {
  const set = makeSet({
    replicas,
    start: s.start,
    podManagementPolicy: s.parallel ? "Parallel" : "OrderedReady",
    minReadySeconds: s.minReadySeconds,
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: s.partition, maxUnavailable: s.maxUnavailable } },
  });
  const template = set.spec.template;
  return new World(set, { name: V1, template }, { name: V2, template });
}

/** The set's pods all Running and Ready at V1 for long, as after a finished rollout. */
function rolledOut(w: World): World {
  for (let i = 0; i < w.set.spec.replicas; i++) {
    const ordinal = startOrdinal(w.set) + i;
    const pod = member(ordinal, { revision: V1, readySince: 3600 });
    w.pods.set(pod.metadata.name ?? "", { ...pod, status: { ...pod.status, conditions: [{ type: "Ready", status: "True", lastTransitionTime: "1970-01-01T00:00:00Z" }] } });
  }
  return w;
}

const actionsOf = (plan: StatefulSetPlan): PodAction[] => plan.phases.flat().flatMap((s) => s.actions);

/** Checks what a plan may do to a world, before it is applied. */
function checkPlan(w: World, plan: StatefulSetPlan): void {
  const actions = actionsOf(plan);
  const set = w.set;
  const floor = startOrdinal(set) + (set.spec.updateStrategy.rollingUpdate?.partition ?? 0);
  const updates = actions.filter((a) => a.type === "deletePod" && a.cause === "update");
  // Ordinals below the partition are never updated: not deleted for it, not created at the update revision.
  for (const a of actions) {
    if (a.type === "deletePod" && a.cause === "update") expect(getOrdinal(a.pod)).toBeGreaterThanOrEqual(floor);
    if (a.type === "createPod" && getOrdinal(a.pod as Pod) < floor) expect(a.pod.metadata?.labels?.["controller-revision-hash"]).toBe(V1);
  }
  // An update deletes only within the budget maxUnavailable leaves.
  if (updates.length > 0) expect(w.unavailable() + updates.length).toBeLessThanOrEqual(maxUnavailable(set));
  if (!plan.monotonic) return;

  // One pod at a time, except that an update may replace up to maxUnavailable at once.
  const creates = actions.filter((a) => a.type === "createPod");
  const deletes = actions.filter((a) => a.type === "deletePod" && a.cause !== "update");
  expect(creates.length + deletes.length + (updates.length > 0 ? 1 : 0)).toBeLessThanOrEqual(1);
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  for (const c of creates) {
    // Every lower ordinal is there, Running, Ready and available, and staying.
    for (let ordinal = startOrdinal(set); ordinal < getOrdinal(c.pod as Pod); ordinal++) {
      const pod = w.pods.get(`web-${ordinal}`);
      expect(pod, `web-${ordinal} before ${c.pod.metadata?.name}`).toBeDefined();
      if (!pod) continue;
      expect(isRunningAndReady(pod) && isRunningAndAvailable(pod, minReadySeconds, w.now()) && !isTerminating(pod)).toBe(true);
    }
  }
  for (const d of deletes.filter((a) => a.type === "deletePod" && a.cause === "condemned")) {
    // Scale-down from the top, one at a time: nothing above is left, nothing else is on its way out.
    const others = [...w.pods.values()].filter((p) => p !== (d as { pod: Pod }).pod);
    expect(others.every((p) => getOrdinal(p) < getOrdinal((d as { pod: Pod }).pod))).toBe(true);
    expect(others.some(isTerminating)).toBe(false);
  }
}

const orderly: Omit<Behaviour, "start" | "vanish"> = { unready: 0, recover: 0 };

describe("planStatefulSet: rolling updates", () => {
  it("never has more than maxUnavailable replicas unavailable, never updates below the partition, and finishes", () => {
    fc.assert(
      fc.property(settings, (s) => {
        const w = rolledOut(world(s));
        const random = prng(s.seed);
        const floor = startOrdinal(w.set) + s.partition;
        for (let step = 0; step < 500; step++) {
          const plan = w.plan();
          checkPlan(w, plan);
          w.apply(plan);
          expect(w.unavailable()).toBeLessThanOrEqual(maxUnavailable(w.set));
          for (const pod of w.pods.values()) if (getOrdinal(pod) < floor) expect(podRevision(pod)).toBe(V1);
          const done = [...w.pods.values()].every((p) => !isTerminating(p) && podRevision(p) === (getOrdinal(p) < floor ? V1 : V2)) && w.unavailable() === 0;
          if (done) return;
          w.tick(random, { ...orderly, start: s.start_, vanish: s.vanish });
        }
        throw new Error("the update did not finish in 500 steps");
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("keeps within the budget when pods turn unready and recover on their own", () => {
    fc.assert(
      fc.property(settings, fc.double({ min: 0, max: 0.3, noNaN: true }), fc.double({ min: 0.05, max: 1, noNaN: true }), (s, unready, recover) => {
        const w = rolledOut(world(s));
        const random = prng(s.seed);
        for (let step = 0; step < 200; step++) {
          const plan = w.plan();
          checkPlan(w, plan);
          w.apply(plan);
          w.tick(random, { start: s.start_, vanish: s.vanish, unready, recover });
        }
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

describe("planStatefulSet: OrderedReady scaling", () => {
  it("creates ordinal n+1 only after n is ready, deletes from the top one at a time, and converges", () => {
    fc.assert(
      fc.property(settings, fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 0.2, noNaN: true }), (s, sizes, unready) => {
        const w = world({ ...s, parallel: false }, 0);
        const random = prng(s.seed);
        for (const replicas of sizes) {
          w.set = { ...w.set, spec: { ...w.set.spec, replicas } };
          for (let step = 0; step < 150; step++) {
            const plan = w.plan();
            checkPlan(w, plan);
            w.apply(plan);
            w.tick(random, { start: s.start_, vanish: s.vanish, unready, recover: 0.5 });
          }
          // Calm: everything settles, and the set has exactly its replicas.
          for (let step = 0; step < 400 && !(w.pods.size === replicas && w.unavailable() === 0); step++) {
            const plan = w.plan();
            checkPlan(w, plan);
            w.apply(plan);
            w.tick(random, { start: 1, vanish: 1, unready: 0, recover: 1 });
          }
          expect(w.pods.size).toBe(replicas);
          expect(w.unavailable()).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  }, 30_000);
});

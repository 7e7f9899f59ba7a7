import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/index.ts";
import { isPodActive } from "../common/index.ts";
import { makePod, makeReplicaSet, NOW } from "../common/testing.ts";
import type { PodKnobs } from "../common/testing.ts";
import { compareForDeletion, rankBySameNode } from "./active-pods-with-ranks.ts";
import { BURST_REPLICAS, planReplicas } from "./plan.ts";

const pods = (n: number, k: PodKnobs = {}) => Array.from({ length: n }, () => makePod({ phase: "Running", readySince: 60, nodeName: "node-a", createdAgo: 600, ...k }));

describe("planReplicas", () => {
  it("does nothing with exactly spec.replicas active pods", () => {
    expect(planReplicas(makeReplicaSet({ replicas: 3 }), pods(3), NOW)).toEqual({ kind: "none" });
  });

  it("creates the missing pods", () => {
    expect(planReplicas(makeReplicaSet({ replicas: 3 }), pods(1), NOW)).toEqual({ kind: "create", count: 2 });
    expect(planReplicas(makeReplicaSet({ replicas: 3 }), [], NOW)).toEqual({ kind: "create", count: 3 });
  });

  it("replaces failed, succeeded and terminating pods: they are not active", () => {
    const inactive = [makePod({ phase: "Failed" }), makePod({ phase: "Succeeded" }), makePod({ phase: "Running", deleting: true })];
    expect(planReplicas(makeReplicaSet({ replicas: 3 }), [...pods(1), ...inactive], NOW)).toEqual({ kind: "create", count: 2 });
  });

  it("never creates or deletes more than the burst in one sync", () => {
    expect(planReplicas(makeReplicaSet({ replicas: 1200 }), [], NOW)).toEqual({ kind: "create", count: BURST_REPLICAS });
    expect(BURST_REPLICAS).toBe(500);
    const many = pods(700, { phase: "Pending", readySince: undefined, nodeName: "" });
    const plan = planReplicas(makeReplicaSet({ replicas: 0 }), many, NOW);
    expect(plan.kind === "delete" && plan.pods.length).toBe(500);
    expect(planReplicas(makeReplicaSet({ replicas: 4 }), [], NOW, { burstReplicas: 3 })).toEqual({ kind: "create", count: 3 });
  });

  it("deletes the pods that rank first: unready before ready, lower deletion cost first", () => {
    const ready = pods(2);
    const unready = makePod({ name: "unready", phase: "Running", readySince: false, nodeName: "node-a" });
    let plan = planReplicas(makeReplicaSet({ replicas: 2 }), [ready[0]!, unready, ready[1]!], NOW);
    expect(plan).toEqual({ kind: "delete", pods: [unready] });

    const cheap = makePod({ name: "cheap", phase: "Running", readySince: 60, nodeName: "node-a", cost: "-10" });
    plan = planReplicas(makeReplicaSet({ replicas: 2 }), [...ready, cheap], NOW);
    expect(plan).toEqual({ kind: "delete", pods: [cheap] });
  });

  it("thins out the node that holds most of the owner's pods, counting sibling ReplicaSets' pods", () => {
    const a = makePod({ name: "on-a", nodeName: "node-a", phase: "Running", readySince: 60, createdAgo: 600 });
    const b = makePod({ name: "on-b", nodeName: "node-b", phase: "Running", readySince: 60, createdAgo: 600 });
    const siblingsOnB = pods(2, { nodeName: "node-b" });
    const plan = planReplicas(makeReplicaSet({ replicas: 1 }), [a, b], NOW, { relatedPods: [a, b, ...siblingsOnB] });
    expect(plan).toEqual({ kind: "delete", pods: [b] });
  });

  it("deletes every active pod when scaled to 0", () => {
    const all = pods(3);
    expect(planReplicas(makeReplicaSet({ replicas: 0 }), [...all, makePod({ phase: "Failed" })], NOW)).toEqual({ kind: "delete", pods: all });
  });
});

describe("planReplicas, properties", () => {
  // Ages in distinct log2 buckets: every pair of pods is then ordered by a
  // rule, never by a UID tie inside a bucket, and "ranks before" is a total order.
  const ages = [1, 30, 1000, 40_000];
  const podArb = fc
    .record({
      phase: fc.constantFrom("Pending", "Running", "Unknown", "Failed", "Succeeded"),
      readySince: fc.option(fc.oneof(fc.constant(false as const), fc.constantFrom(...ages)), { nil: undefined }),
      nodeName: fc.constantFrom("", "node-a", "node-b", "node-c"),
      cost: fc.option(fc.constantFrom("-5", "0", "3", "bad"), { nil: undefined }),
      createdAgo: fc.option(fc.constantFrom(...ages), { nil: undefined }),
      deleting: fc.boolean(),
    })
    .map((k) => makePod(k));
  const caseArb = fc.record({
    replicas: fc.nat(40),
    pods: fc.array(podArb, { maxLength: 40 }),
    burst: fc.integer({ min: 1, max: 12 }),
  });

  it("never deletes more than needed nor creates beyond the burst, and deletes only active pods in rank order", () => {
    fc.assert(
      fc.property(caseArb, ({ replicas, pods: all, burst }) => {
        const active = all.filter(isPodActive);
        const plan = planReplicas(makeReplicaSet({ replicas }), all, NOW, { burstReplicas: burst, relatedPods: all });
        const diff = active.length - replicas;
        if (diff === 0) expect(plan.kind).toBe("none");
        if (plan.kind === "create") {
          expect(diff).toBeLessThan(0);
          expect(plan.count).toBe(Math.min(-diff, burst));
        }
        if (plan.kind === "delete") {
          expect(diff).toBeGreaterThan(0);
          expect(plan.pods.length).toBe(Math.min(diff, burst));
          expect(new Set(plan.pods).size).toBe(plan.pods.length);
          for (const p of plan.pods) expect(active).toContain(p);
          // Every deleted pod ranks before every kept one.
          const rank = new Map(rankBySameNode(active, all).map((r) => [r.pod, r.rank]));
          const ranked = (p: Pod) => ({ pod: p, rank: rank.get(p) ?? 0 });
          const kept = active.filter((p) => !plan.pods.includes(p));
          if (plan.pods.length < active.length) {
            for (const d of plan.pods) for (const k of kept) expect(compareForDeletion(ranked(d), ranked(k), NOW)).toBeLessThanOrEqual(0);
          }
        }
      }),
    );
  });

  it("converges to spec.replicas active pods in ceil(|diff| / burst) syncs", () => {
    fc.assert(
      fc.property(caseArb, ({ replicas, pods: initial, burst }) => {
        const rs = makeReplicaSet({ replicas });
        let world = [...initial];
        const diff = Math.abs(world.filter(isPodActive).length - replicas);
        let syncs = 0;
        for (;;) {
          const plan = planReplicas(rs, world, NOW, { burstReplicas: burst, relatedPods: world });
          if (plan.kind === "none") break;
          syncs++;
          if (plan.kind === "create") world = [...world, ...Array.from({ length: plan.count }, () => makePod({ phase: "Pending" }))];
          else world = world.filter((p) => !plan.pods.includes(p));
          expect(syncs).toBeLessThanOrEqual(Math.ceil(diff / burst));
        }
        expect(world.filter(isPodActive).length).toBe(replicas);
        expect(syncs).toBe(Math.ceil(diff / burst));
      }),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/index.ts";
import { makePod, NOW } from "../common/testing.ts";
import type { PodKnobs } from "../common/testing.ts";
import { compareForDeletion, rankBySameNode, sortForDeletion } from "./active-pods-with-ranks.ts";

/** Whether `a` is deleted before `b`, both ranked 0 unless given. */
function first(a: Pod, b: Pod, ranks: [number, number] = [0, 0]): boolean {
  const ab = compareForDeletion({ pod: a, rank: ranks[0] }, { pod: b, rank: ranks[1] }, NOW);
  const ba = compareForDeletion({ pod: b, rank: ranks[1] }, { pod: a, rank: ranks[0] }, NOW);
  // The comparator must be antisymmetric for the answer to mean anything.
  expect(Math.sign(ab)).toBe(-Math.sign(ba));
  return ab < 0;
}

// A ready, running, scheduled pod: every rule below changes one thing of it.
const base: PodKnobs = { nodeName: "node-a", phase: "Running", readySince: 3600, createdAgo: 7200 };
const pod = (k: PodKnobs = {}) => makePod({ ...base, ...k });

describe("the upstream scale-down order, rule by rule", () => {
  it("1. unassigned before assigned", () => {
    expect(first(pod({ nodeName: "", uid: "z" }), pod({ uid: "a" }))).toBe(true);
    expect(first(pod({ uid: "a" }), pod({ nodeName: "", uid: "z" }))).toBe(false);
  });

  it("1. two assigned pods on different nodes are not told apart by their node", () => {
    expect(first(pod({ nodeName: "node-a", uid: "a" }), pod({ nodeName: "node-b", uid: "b" }))).toBe(true);
    expect(first(pod({ nodeName: "node-b", uid: "a" }), pod({ nodeName: "node-a", uid: "b" }))).toBe(true);
  });

  it("2. Pending, then Unknown, then Running", () => {
    expect(first(pod({ phase: "Pending", readySince: undefined, uid: "z" }), pod({ phase: "Unknown", readySince: undefined, uid: "a" }))).toBe(true);
    expect(first(pod({ phase: "Unknown", uid: "z" }), pod({ phase: "Running", uid: "a" }))).toBe(true);
    expect(first(pod({ phase: "Pending", readySince: undefined, uid: "z" }), pod({ phase: "Running", uid: "a" }))).toBe(true);
  });

  it("3. not ready before ready (no Ready condition counts as not ready)", () => {
    expect(first(pod({ readySince: false, uid: "z" }), pod({ uid: "a" }))).toBe(true);
    expect(first(pod({ readySince: undefined, phase: "Running", uid: "z" }), pod({ uid: "a" }))).toBe(true);
  });

  it("4. lower pod-deletion-cost first; absent or invalid is 0", () => {
    expect(first(pod({ cost: "-5", uid: "z" }), pod({ uid: "a" }))).toBe(true);
    expect(first(pod({ uid: "z" }), pod({ cost: "10", uid: "a" }))).toBe(true);
    expect(first(pod({ cost: "1", uid: "z" }), pod({ cost: "2", uid: "a" }))).toBe(true);
    expect(first(pod({ cost: "+5", uid: "a", createdAgo: 7200 }), pod({ cost: "0", uid: "b", createdAgo: 7200 }))).toBe(true);
  });

  it("5. more pods of the owner on the node (doubled up) first", () => {
    expect(first(pod({ uid: "z" }), pod({ uid: "a" }), [3, 1])).toBe(true);
    expect(first(pod({ uid: "a" }), pod({ uid: "z" }), [1, 3])).toBe(false);
  });

  it("6. ready more recently first, when the ages fall in different log2 buckets", () => {
    expect(first(pod({ readySince: 10, uid: "z" }), pod({ readySince: 1000, uid: "a" }))).toBe(true);
  });

  it("6. ready at about the same time (same log2 bucket of age): by UID, not by time", () => {
    // 100 s and 110 s are both in [2^36, 2^37) ns.
    expect(first(pod({ readySince: 110, uid: "a" }), pod({ readySince: 100, uid: "z" }))).toBe(true);
    expect(first(pod({ readySince: 100, uid: "z" }), pod({ readySince: 110, uid: "a" }))).toBe(false);
  });

  it("6. a ready pod without a transition time counts as ready most recently", () => {
    expect(first(pod({ readySince: undefined, readyNoTime: true, uid: "z" }), pod({ readySince: 1, uid: "a" }))).toBe(true);
  });

  it("7. more container restarts first (the highest count of any container)", () => {
    expect(first(pod({ restarts: [0, 5], uid: "z" }), pod({ restarts: [4, 4], uid: "a" }))).toBe(true);
  });

  it("8. created more recently first, in log2 buckets, then by UID", () => {
    expect(first(pod({ createdAgo: 10, uid: "z" }), pod({ createdAgo: 10_000, uid: "a" }))).toBe(true);
    expect(first(pod({ createdAgo: 110, uid: "a" }), pod({ createdAgo: 100, uid: "z" }))).toBe(true);
    expect(first(pod({ createdAgo: undefined, uid: "z" }), pod({ createdAgo: 1, uid: "a" }))).toBe(true);
  });

  it("a future timestamp (clock skew) counts as the most recent bucket", () => {
    expect(first(pod({ createdAgo: -5, uid: "z" }), pod({ createdAgo: 1, uid: "a" }))).toBe(true);
  });

  it("identical pods are ordered by UID", () => {
    expect(first(pod({ uid: "a" }), pod({ uid: "b" }))).toBe(true);
    expect(compareForDeletion({ pod: pod({ uid: "a" }), rank: 0 }, { pod: pod({ uid: "a" }), rank: 0 }, NOW)).toBe(0);
  });
});

describe("the rules' precedence: an earlier rule wins over every later one", () => {
  // In each case the first pod goes first by rule k, although the second
  // would go first by every later rule (lower cost, doubled up, ready more
  // recently, more restarts, younger).
  const later = { cost: "-100", restarts: [9], createdAgo: 1, readySince: 1 };
  it.each([
    ["unassigned, over everything after", pod({ nodeName: "", cost: "50", uid: "z" }), pod({ ...later, uid: "a" }), [0, 5]],
    ["Pending, over readiness and everything after", pod({ phase: "Pending", readySince: undefined, cost: "50", uid: "z" }), pod({ ...later, phase: "Running", readySince: false, uid: "a" }), [0, 5]],
    ["not ready, over a lower cost and everything after", pod({ readySince: false, cost: "50", uid: "z" }), pod({ ...later, uid: "a" }), [0, 5]],
    ["a lower cost, over doubling up and everything after", pod({ cost: "-200", uid: "z" }), pod({ ...later, uid: "a" }), [0, 5]],
    ["doubled up, over ready time, restarts and age", pod({ uid: "z" }), pod({ readySince: 1, restarts: [9], createdAgo: 1, uid: "a" }), [2, 1]],
    ["ready more recently, over restarts and age", pod({ readySince: 1, uid: "z" }), pod({ readySince: 5000, restarts: [9], createdAgo: 1, uid: "a" }), [0, 0]],
    ["more restarts, over age", pod({ restarts: [2], createdAgo: 10_000, uid: "z" }), pod({ restarts: [1], createdAgo: 1, uid: "a" }), [0, 0]],
  ] as const)("%s", (_what, a, b, ranks) => {
    expect(first(a, b, [...ranks])).toBe(true);
  });
});

describe("rankBySameNode", () => {
  it("counts the active related pods on each pod's node; unassigned pods share one", () => {
    const onA = pod({ nodeName: "node-a" });
    const onB = pod({ nodeName: "node-b" });
    const unassigned = pod({ nodeName: "" });
    const related = [onA, onB, unassigned, pod({ nodeName: "node-a" }), pod({ nodeName: "node-a", phase: "Failed" }), pod({ nodeName: "" }), pod({ nodeName: "node-a", deleting: true })];
    expect(rankBySameNode([onA, onB, unassigned], related).map((r) => r.rank)).toEqual([2, 1, 2]);
  });

  it("ranks every pod 0 without related pods (a ReplicaSet without a controller)", () => {
    expect(rankBySameNode([pod(), pod()], []).map((r) => r.rank)).toEqual([0, 0]);
  });
});

describe("sortForDeletion", () => {
  it("puts a full mix in upstream's order", () => {
    const byName = (name: string, k: PodKnobs) => pod({ name, uid: name, ...k });
    const pods = [
      byName("old-ready", {}),
      byName("restarted", { restarts: [3] }),
      byName("young", { createdAgo: 5 }),
      byName("costly", { cost: "100" }),
      byName("cheap", { cost: "-1" }),
      byName("not-ready", { readySince: false }),
      byName("unknown", { phase: "Unknown" }),
      byName("pending", { phase: "Pending", readySince: undefined }),
      byName("unassigned", { nodeName: "" }),
      byName("elsewhere", { nodeName: "node-c" }),
      byName("fresh-ready", { readySince: 5 }),
    ];
    const related = [...pods, pod({ nodeName: "node-c" }), pod({ nodeName: "node-c" })];
    // node-a holds 9 of the related pods, node-c 3: node-a's pods are the doubled-up ones.
    expect(sortForDeletion(pods, related, NOW).map((p) => p.metadata.name)).toEqual([
      "unassigned",
      "pending",
      "unknown",
      "not-ready",
      "cheap",
      "fresh-ready",
      "restarted",
      "young",
      "old-ready",
      "elsewhere",
      "costly",
    ]);
  });

  // Times drawn from ages in distinct log2 buckets, so every pair is decided by
  // a rule rather than a UID tie inside a bucket; the order is then total.
  const ages = [1, 30, 1000, 40_000];
  const podArb = fc.record({
    uid: fc.uuid(),
    nodeName: fc.constantFrom("", "node-a", "node-b"),
    phase: fc.constantFrom("Pending", "Unknown", "Running"),
    readySince: fc.option(fc.oneof(fc.constant(false as const), fc.constantFrom(...ages)), { nil: undefined }),
    cost: fc.option(fc.constantFrom("-1", "0", "7"), { nil: undefined }),
    restarts: fc.option(fc.array(fc.nat(3), { minLength: 1, maxLength: 2 }), { nil: undefined }),
    createdAgo: fc.option(fc.constantFrom(...ages), { nil: undefined }),
  });
  const podsArb = fc.uniqueArray(podArb, { selector: (p) => p.uid, maxLength: 25 }).map((ks) => ks.map((k) => makePod(k)));

  it("gives one order whatever the input order", () => {
    fc.assert(
      fc.property(
        podsArb.chain((pods) => fc.tuple(fc.constant(pods), fc.shuffledSubarray(pods, { minLength: pods.length, maxLength: pods.length }))),
        ([pods, shuffled]) => {
          const ids = (ps: Pod[]) => ps.map((p) => p.metadata.uid);
          expect(ids(sortForDeletion(shuffled, pods, NOW))).toEqual(ids(sortForDeletion(pods, pods, NOW)));
        },
      ),
    );
  });

  it("never puts a pod after one it should precede", () => {
    fc.assert(
      fc.property(podsArb, (pods) => {
        const ranked = rankBySameNode(pods, pods);
        const rankOf = new Map(ranked.map((r) => [r.pod.metadata.uid, r.rank]));
        const sorted = sortForDeletion(pods, pods, NOW).map((p) => ({ pod: p, rank: rankOf.get(p.metadata.uid) ?? 0 }));
        for (let i = 0; i + 1 < sorted.length; i++) expect(compareForDeletion(sorted[i]!, sorted[i + 1]!, NOW)).toBeLessThan(0);
      }),
    );
  });
});

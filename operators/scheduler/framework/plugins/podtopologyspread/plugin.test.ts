import { describe, expect, it } from "vitest";
import type { TopologySpreadConstraintLike } from "../../objects.ts";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, scoreWith } from "../../testing.ts";
import { podTopologySpread } from "./plugin.ts";

const SKEW = "Unschedulable: node(s) didn't match pod topology spread constraints";
const MISSING = "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";

function spread(over: Partial<TopologySpreadConstraintLike> = {}): TopologySpreadConstraintLike {
  return { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } }, ...over };
}

const web = (name: string, node: string, extra: Parameters<typeof makePod>[1] = {}) =>
  makePod(name, { nodeName: node, labels: { app: "web" }, ...extra });

describe("PodTopologySpread filter", () => {
  it("keeps matching pods per domain within maxSkew of the minimum", () => {
    const snapshot = snapshotFromObjects([makeNode("n1"), makeNode("n2")], [web("a", "n1"), web("b", "n1"), web("c", "n2")]);
    const pod = makePod("p", { labels: { app: "web" }, spread: [spread()] });
    expect(filterWith(podTopologySpread(), pod, snapshot)).toEqual({ n1: SKEW, n2: null });
  });

  it("rejects nodes without the topology key as unresolvable", () => {
    const snapshot = snapshotFromObjects([makeNode("z", { labels: { zone: "a" } }), makeNode("none")]);
    const pod = makePod("p", { labels: { app: "web" }, spread: [spread({ topologyKey: "zone" })] });
    expect(filterWith(podTopologySpread(), pod, snapshot)).toEqual({ z: null, none: MISSING });
  });

  it("treats the global minimum as 0 while fewer than minDomains domains exist", () => {
    const snapshot = snapshotFromObjects([makeNode("n1"), makeNode("n2")], [web("a", "n1"), web("b", "n2")]);
    const pod = makePod("p", { labels: { app: "web" }, spread: [spread({ minDomains: 3 })] });
    expect(filterWith(podTopologySpread(), pod, snapshot)).toEqual({ n1: SKEW, n2: SKEW });
    const enough = makePod("p", { labels: { app: "web" }, spread: [spread({ minDomains: 2 })] });
    expect(filterWith(podTopologySpread(), enough, snapshot)).toEqual({ n1: null, n2: null });
  });

  it("honours node affinity when counting domains (nodeAffinityPolicy Honor by default)", () => {
    const nodes = [makeNode("n1", { labels: { pool: "x" } }), makeNode("n2", { labels: { pool: "x" } }), makeNode("n3", { labels: { pool: "y" } })];
    const snapshot = snapshotFromObjects(nodes, [web("a", "n1"), web("b", "n2")]);
    const honor = makePod("p", { labels: { app: "web" }, nodeSelector: { pool: "x" }, spread: [spread()] });
    // n3 is not a domain: the minimum is 1, so n1 and n2 may each take one more.
    expect(filterWith(podTopologySpread(), honor, snapshot)).toMatchObject({ n1: null, n2: null });
    const ignore = makePod("p", { labels: { app: "web" }, nodeSelector: { pool: "x" }, spread: [spread({ nodeAffinityPolicy: "Ignore" })] });
    expect(filterWith(podTopologySpread(), ignore, snapshot)).toMatchObject({ n1: SKEW, n2: SKEW });
  });

  it("ignores taints when counting domains unless nodeTaintsPolicy is Honor", () => {
    const nodes = [makeNode("n1"), makeNode("n2", { taints: [{ key: "k", effect: "NoSchedule" }] })];
    const snapshot = snapshotFromObjects(nodes, [web("a", "n1")]);
    const ignore = makePod("p", { labels: { app: "web" }, spread: [spread()] });
    expect(filterWith(podTopologySpread(), ignore, snapshot).n1).toBe(SKEW);
    const honor = makePod("p", { labels: { app: "web" }, spread: [spread({ nodeTaintsPolicy: "Honor" })] });
    expect(filterWith(podTopologySpread(), honor, snapshot).n1).toBeNull();
  });

  it("counts only same-namespace, non-terminating pods, and the pod itself only if it matches", () => {
    const snapshot = snapshotFromObjects(
      [makeNode("n1"), makeNode("n2")],
      [web("a", "n1", { namespace: "other" }), web("b", "n1", { deleting: true }), web("c", "n1")],
    );
    expect(filterWith(podTopologySpread(), makePod("p", { labels: { app: "web" }, spread: [spread()] }), snapshot)).toEqual({ n1: SKEW, n2: null });
    expect(filterWith(podTopologySpread(), makePod("p", { labels: { app: "db" }, spread: [spread()] }), snapshot)).toEqual({ n1: null, n2: null });
  });

  it("adds matchLabelKeys to the selector", () => {
    const snapshot = snapshotFromObjects(
      [makeNode("n1"), makeNode("n2")],
      [web("old1", "n1", { labels: { app: "web", hash: "v1" } }), web("old2", "n1", { labels: { app: "web", hash: "v1" } })],
    );
    const pod = makePod("p", { labels: { app: "web", hash: "v2" }, spread: [spread({ matchLabelKeys: ["hash"] })] });
    expect(filterWith(podTopologySpread(), pod, snapshot)).toEqual({ n1: null, n2: null });
  });

  it("skips pods without DoNotSchedule constraints", () => {
    const snapshot = snapshotFromObjects([makeNode("n1")], [web("a", "n1"), web("b", "n1")]);
    expect(filterWith(podTopologySpread(), makePod("p", { labels: { app: "web" } }), snapshot)).toEqual({ n1: null });
  });
});

describe("PodTopologySpread score", () => {
  const soft = (topologyKey: string) => spread({ topologyKey, whenUnsatisfiable: "ScheduleAnyway" });
  const nodes = [makeNode("n1", { labels: { zone: "z1" } }), makeNode("n2", { labels: { zone: "z1" } }), makeNode("n3", { labels: { zone: "z2" } })];
  const pods = [web("a", "n1"), web("b", "n1"), web("c", "n2")];

  it("favours hosts with fewer matching pods, weighted by log(#domains + 2)", () => {
    // raw: n1 round(2·ln 5) = 3, n2 round(ln 5) = 2, n3 0 → 100·(3 + 0 − s)/3
    const pod = makePod("p", { labels: { app: "web" }, spread: [soft("kubernetes.io/hostname")] });
    expect(scoreWith(podTopologySpread(), pod, snapshotFromObjects(nodes, pods))).toEqual({ n1: 0, n2: 33, n3: 100 });
  });

  it("counts whole domains for other topology keys, and zeroes nodes without the key", () => {
    const pod = makePod("p", { labels: { app: "web" }, spread: [soft("zone")] });
    // z1 holds 3 → raw round(3·ln 4) = 4 for n1 and n2, z2 holds 0.
    expect(scoreWith(podTopologySpread(), pod, snapshotFromObjects([...nodes, makeNode("bare")], pods))).toEqual({ n1: 0, n2: 0, n3: 100, bare: 0 });
  });

  it("skips pods without ScheduleAnyway constraints", () => {
    expect(scoreWith(podTopologySpread(), makePod("p"), snapshotFromObjects(nodes, pods))).toBe("skip");
  });
});

import { describe, expect, it } from "vitest";
import type { Plugin } from "./interface.ts";
import { status } from "./interface.ts";
import type { PodLike } from "./objects.ts";
import { newProfile } from "./profile.ts";
import type { ScheduleResult } from "./schedule-one.ts";
import { numFeasibleNodesToFind, schedulePod, SchedulingError, selectHost } from "./schedule-one.ts";
import { snapshotFromObjects } from "./snapshot.ts";
import { makeNode, makePod, seededRandom } from "./testing.ts";

const profile = newProfile();
const random = seededRandom(42);

function node(result: ScheduleResult): string | undefined {
  return result.ok ? result.node : undefined;
}

function message(result: ScheduleResult): string | undefined {
  return result.ok ? undefined : result.failure.message;
}

describe("schedulePod: the issue's scenarios", () => {
  it("insufficient cpu stays pending with the upstream message", () => {
    const snapshot = snapshotFromObjects([makeNode("a", { cpu: "1" }), makeNode("b", { cpu: "1" }), makeNode("c", { cpu: "1" })]);
    const result = schedulePod(makePod("big", { requests: { cpu: "2" } }), snapshot, profile, random);
    expect(message(result)).toBe("0/3 nodes are available: 3 Insufficient cpu.");
    expect(result.ok ? [] : [...result.failure.diagnosis.unschedulablePlugins]).toEqual(["NodeResourcesFit"]);
  });

  it("mixes reasons across nodes, one per node (the first failing filter)", () => {
    const snapshot = snapshotFromObjects([
      makeNode("small", { cpu: "1" }),
      makeNode("tainted", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
      makeNode("cordoned", { unschedulable: true }),
      makeNode("elsewhere", { labels: { disk: "hdd" } }),
    ]);
    const pod = makePod("p", { requests: { cpu: "2" }, nodeSelector: { "kubernetes.io/hostname": "small" } });
    expect(message(schedulePod(pod, snapshot, profile, random))).toBe(
      "0/4 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, " +
        "1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable.",
    );
  });

  it("nodeSelector, taints/tolerations and cordoned nodes steer the pod", () => {
    const snapshot = snapshotFromObjects([
      makeNode("ssd", { labels: { disk: "ssd" } }),
      makeNode("hdd", { labels: { disk: "hdd" } }),
      makeNode("gpu", { labels: { disk: "ssd" }, taints: [{ key: "gpu", effect: "NoSchedule" }] }),
      makeNode("off", { labels: { disk: "ssd" }, unschedulable: true }),
    ]);
    expect(node(schedulePod(makePod("p", { nodeSelector: { disk: "ssd" } }), snapshot, profile, random))).toBe("ssd");
    const tolerant = makePod("g", { nodeSelector: { disk: "ssd" }, tolerations: [{ key: "gpu", operator: "Exists" }] });
    const seen = new Set(Array.from({ length: 40 }, (_, i) => node(schedulePod(tolerant, snapshot, profile, seededRandom(i)))));
    expect(seen).toEqual(new Set(["ssd", "gpu"]));
  });

  it("host port conflicts push the second pod to another node", () => {
    const snapshot = snapshotFromObjects([makeNode("a"), makeNode("b")], [makePod("web1", { nodeName: "a", hostPorts: [8080] })]);
    expect(node(schedulePod(makePod("web2", { hostPorts: [8080] }), snapshot, profile, random))).toBe("b");
    const full = snapshotFromObjects(
      [makeNode("a"), makeNode("b")],
      [makePod("web1", { nodeName: "a", hostPorts: [8080] }), makePod("web3", { nodeName: "b", hostPorts: [8080] })],
    );
    expect(message(schedulePod(makePod("web2", { hostPorts: [8080] }), full, profile, random))).toBe(
      "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports.",
    );
  });

  it("topology spread places 4 replicas 2+2 over 2 nodes", () => {
    const nodes = [makeNode("a"), makeNode("b")];
    const placed: PodLike[] = [];
    const constraint = { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } };
    for (let i = 0; i < 4; i++) {
      const pod = makePod(`web-${i}`, { labels: { app: "web" }, spread: [constraint] });
      const result = schedulePod(pod, snapshotFromObjects(nodes, placed), profile, seededRandom(i));
      const target = node(result);
      expect(target).toBeDefined();
      placed.push({ ...pod, spec: { ...pod.spec, nodeName: target } });
    }
    const counts = placed.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.spec?.nodeName ?? ""]: (acc[p.spec?.nodeName ?? ""] ?? 0) + 1 }), {});
    expect(counts).toEqual({ a: 2, b: 2 });
  });

  it("required anti-affinity leaves the third replica pending on two nodes", () => {
    const nodes = [makeNode("a"), makeNode("b")];
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: "web" } }, topologyKey: "kubernetes.io/hostname" }] } };
    const placed: PodLike[] = [];
    for (let i = 0; i < 2; i++) {
      const pod = makePod(`web-${i}`, { labels: { app: "web" }, affinity: anti });
      const target = node(schedulePod(pod, snapshotFromObjects(nodes, placed), profile, random));
      placed.push({ ...pod, spec: { ...pod.spec, nodeName: target } });
    }
    expect(new Set(placed.map((p) => p.spec?.nodeName))).toEqual(new Set(["a", "b"]));
    const third = schedulePod(makePod("web-2", { labels: { app: "web" }, affinity: anti }), snapshotFromObjects(nodes, placed), profile, random);
    expect(message(third)).toBe("0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.");
  });

  it("LeastAllocated picks the emptier node", () => {
    const snapshot = snapshotFromObjects(
      [makeNode("busy", { cpu: "4", memory: "8Gi" }), makeNode("empty", { cpu: "4", memory: "8Gi" })],
      [makePod("hog", { nodeName: "busy", requests: { cpu: "3", memory: "6Gi" } })],
    );
    const pod = makePod("p", { requests: { cpu: "500m", memory: "512Mi" } });
    for (let seed = 0; seed < 10; seed++) expect(node(schedulePod(pod, snapshot, profile, seededRandom(seed)))).toBe("empty");
    const packing = newProfile({ nodeResourcesFit: { scoringStrategy: { type: "MostAllocated" } } });
    expect(node(schedulePod(pod, snapshot, packing, random))).toBe("busy");
  });
});

describe("schedulePod: mechanics", () => {
  it("breaks ties at random, fairly", () => {
    const snapshot = snapshotFromObjects([makeNode("a"), makeNode("b"), makeNode("c")]);
    const counts: Record<string, number> = {};
    const rnd = seededRandom(7);
    for (let i = 0; i < 3000; i++) {
      const n = node(schedulePod(makePod("p"), snapshot, profile, rnd)) ?? "";
      counts[n] = (counts[n] ?? 0) + 1;
    }
    for (const n of ["a", "b", "c"]) expect(counts[n]).toBeGreaterThan(850);
    expect(selectHost([{ node: "x", total: 5, plugins: {} }, { node: "y", total: 9, plugins: {} }], () => 0.99)).toBe("y");
  });

  it("returns weighted per-plugin scores", () => {
    const snapshot = snapshotFromObjects([makeNode("a", { cpu: "4", memory: "10Gi" }), makeNode("b", { cpu: "6", memory: "10Gi" })]);
    const result = schedulePod(makePod("p", { requests: { cpu: "3", memory: "5Gi" } }), snapshot, profile, random);
    expect(result.ok && result.scores).toEqual([
      { node: "a", total: 37 + 87 + 300, plugins: { TaintToleration: 300, NodeResourcesFit: 37, NodeResourcesBalancedAllocation: 87 } },
      { node: "b", total: 50 + 100 + 300, plugins: { TaintToleration: 300, NodeResourcesFit: 50, NodeResourcesBalancedAllocation: 100 } },
    ]);
    const weighted = newProfile({ weights: { NodeResourcesFit: 5 } });
    const again = schedulePod(makePod("p", { requests: { cpu: "3", memory: "5Gi" } }), snapshot, weighted, random);
    expect(again.ok && again.scores[0]?.plugins.NodeResourcesFit).toBe(185);
  });

  it("reports no nodes at all as upstream's ErrNoNodesAvailable", () => {
    expect(message(schedulePod(makePod("p"), snapshotFromObjects([]), profile, random))).toBe("no nodes available to schedule pods");
  });

  it("counts nodes a PreFilter result excludes under that plugin", () => {
    const snapshot = snapshotFromObjects([makeNode("a", { cpu: "1" }), makeNode("b"), makeNode("c")]);
    const pinned = makePod("p", {
      requests: { cpu: "2" },
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }] }] } } },
    });
    expect(message(schedulePod(pinned, snapshot, profile, random))).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    );
    const missing = { ...pinned, spec: { ...pinned.spec, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["zz"] }] }] } } } } };
    expect(message(schedulePod(missing, snapshot, profile, random))).toBe("0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity].");
  });

  it("reports a PreFilter rejection once", () => {
    const snapshot = snapshotFromObjects([makeNode("a"), makeNode("b")]);
    const conflict = makePod("p", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }, { key: "metadata.name", operator: "In", values: ["b"] }] }],
          },
        },
      },
    });
    const result = schedulePod(conflict, snapshot, profile, random);
    expect(message(result)).toBe("0/2 nodes are available: pod affinity terms conflict.");
  });

  it("tries the nominated node first", () => {
    const snapshot = snapshotFromObjects([makeNode("a", { cpu: "8" }), makeNode("b", { cpu: "1" })]);
    const result = schedulePod(makePod("p", { nominatedNodeName: "b" }), snapshot, profile, random);
    expect(result).toMatchObject({ ok: true, node: "b", feasibleNodes: 1 });
  });

  it("stops filtering once enough feasible nodes are found (percentageOfNodesToScore)", () => {
    expect(numFeasibleNodesToFind(0, 50)).toBe(50);
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420);
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500);
    expect(numFeasibleNodesToFind(0, 10000)).toBe(500);
    expect(numFeasibleNodesToFind(10, 500)).toBe(100);
    expect(numFeasibleNodesToFind(100, 1000)).toBe(1000);
    const nodes = Array.from({ length: 300 }, (_, i) => makeNode(`n${String(i).padStart(3, "0")}`));
    const snapshot = snapshotFromObjects(nodes);
    const some = schedulePod(makePod("p"), snapshot, newProfile({ percentageOfNodesToScore: 50 }), random, { startIndex: 290 });
    expect(some).toMatchObject({ ok: true, feasibleNodes: 150, processedNodes: 150 });
    expect(schedulePod(makePod("p"), snapshot, newProfile({ percentageOfNodesToScore: 100 }), random)).toMatchObject({ feasibleNodes: 300 });
  });

  it("runs supplied plugins by name: a VolumeBinding filter in its slot, replacements, disabled plugins", () => {
    const snapshot = snapshotFromObjects([makeNode("a", { labels: { zone: "z1" } }), makeNode("b", { labels: { zone: "z2" } })]);
    const volumeBinding: Plugin = {
      name: "VolumeBinding",
      filter: (_ctx, n) => (n.labels.zone === "z1" ? null : status("UnschedulableAndUnresolvable", "node(s) had volume node affinity conflict")),
    };
    const withVolumes = newProfile({ plugins: [volumeBinding] });
    expect(withVolumes.plugins.map((p) => p.name).indexOf("VolumeBinding")).toBe(withVolumes.plugins.map((p) => p.name).indexOf("NodeResourcesFit") + 1);
    expect(node(schedulePod(makePod("p"), snapshot, withVolumes, random))).toBe("a");
    const tooSmall = makePod("big", { requests: { cpu: "100" } });
    expect(message(schedulePod(tooSmall, snapshot, newProfile({ disabled: ["NodeResourcesFit"] }), random))).toBeUndefined();
    const broken: Plugin = { name: "Broken", filter: () => status("Error", "boom") };
    expect(() => schedulePod(makePod("p"), snapshot, newProfile({ plugins: [broken] }), random)).toThrow(SchedulingError);
  });

  it("accepts a plain config instead of a profile, and never mutates the snapshot", () => {
    const snapshot = snapshotFromObjects([makeNode("a")], [makePod("x", { nodeName: "a", requests: { cpu: "1" } })]);
    const before = snapshot.get("a")?.requested.milliCPU;
    expect(node(schedulePod(makePod("p", { requests: { cpu: "1" } }), snapshot, {}, random))).toBe("a");
    expect(snapshot.get("a")?.requested.milliCPU).toBe(before);
  });
});

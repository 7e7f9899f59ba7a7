import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, scoreWith } from "../../testing.ts";
import { nodeResourcesFit } from "./fit.ts";

describe("NodeResourcesFit filter", () => {
  const used = (name: string, node: string, requests: Record<string, string | number>) => makePod(name, { nodeName: node, requests });

  it("reports each insufficient resource, with upstream's reasons", () => {
    const snapshot = snapshotFromObjects(
      [
        makeNode("full", { cpu: "4", memory: "8Gi", allocatable: { "ephemeral-storage": "10Gi" } }),
        makeNode("roomy", { cpu: "8", memory: "16Gi", allocatable: { "ephemeral-storage": "100Gi", "example.com/gpu": 2 } }),
      ],
      [used("a", "full", { cpu: "3500m", memory: "7Gi", "ephemeral-storage": "9Gi" })],
    );
    const pod = makePod("p", { requests: { cpu: "1", memory: "2Gi", "ephemeral-storage": "2Gi" } });
    expect(filterWith(nodeResourcesFit(), pod, snapshot)).toEqual({
      full: "Unschedulable: Insufficient cpu, Insufficient memory, Insufficient ephemeral-storage",
      roomy: null,
    });
    const gpu = makePod("g", { requests: { "example.com/gpu": 3 } });
    expect(filterWith(nodeResourcesFit(), gpu, snapshot)).toEqual({
      full: "Unschedulable: Insufficient example.com/gpu",
      roomy: "Unschedulable: Insufficient example.com/gpu",
    });
  });

  it("lets a pod take exactly what is left", () => {
    const snapshot = snapshotFromObjects([makeNode("n", { cpu: "2", memory: "2Gi" })], [used("a", "n", { cpu: "1500m", memory: "1Gi" })]);
    expect(filterWith(nodeResourcesFit(), makePod("p", { requests: { cpu: "500m", memory: "1Gi" } }), snapshot)).toEqual({ n: null });
    expect(filterWith(nodeResourcesFit(), makePod("p", { requests: { cpu: "501m" } }), snapshot)).toEqual({
      n: "Unschedulable: Insufficient cpu",
    });
  });

  it("counts the pods limit, also for pods that request nothing", () => {
    const snapshot = snapshotFromObjects([makeNode("n", { pods: 1 })], [makePod("a", { nodeName: "n" })]);
    expect(filterWith(nodeResourcesFit(), makePod("p"), snapshot)).toEqual({ n: "Unschedulable: Too many pods" });
    expect(filterWith(nodeResourcesFit(), makePod("p", { requests: { cpu: "100" } }), snapshot)).toEqual({
      n: "Unschedulable: Too many pods, Insufficient cpu",
    });
  });

  it("ignores configured extended resources and resource groups", () => {
    const snapshot = snapshotFromObjects([makeNode("n")]);
    const pod = makePod("p", { requests: { "example.com/gpu": 1, "vendor.io/fpga": 1 } });
    expect(filterWith(nodeResourcesFit({ ignoredResources: ["example.com/gpu"], ignoredResourceGroups: ["vendor.io"] }), pod, snapshot)).toEqual({ n: null });
  });

  it("does not count finished pods", () => {
    const snapshot = snapshotFromObjects([makeNode("n", { cpu: "1" })], [makePod("done", { nodeName: "n", requests: { cpu: "1" }, phase: "Failed" })]);
    expect(filterWith(nodeResourcesFit(), makePod("p", { requests: { cpu: "1" } }), snapshot)).toEqual({ n: null });
  });
});

describe("NodeResourcesFit score", () => {
  const nodes = [makeNode("small", { cpu: "4", memory: "10Gi" }), makeNode("big", { cpu: "6", memory: "10Gi" })];
  const pod = makePod("p", { requests: { cpu: "3", memory: "5Gi" } });

  it("LeastAllocated: (capacity − requested) × 100 / capacity, mean of cpu and memory", () => {
    // small: cpu 25, memory 50 → 37; big: cpu 50, memory 50 → 50.
    expect(scoreWith(nodeResourcesFit(), pod, snapshotFromObjects(nodes))).toEqual({ small: 37, big: 50 });
  });

  it("LeastAllocated counts what is already requested, and 100m/200Mi for missing requests", () => {
    const snapshot = snapshotFromObjects(
      [makeNode("busy", { cpu: "4", memory: "8Gi" }), makeNode("idle", { cpu: "4", memory: "8Gi" })],
      [makePod("a", { nodeName: "busy", requests: { cpu: "2", memory: "4Gi" } })],
    );
    expect(scoreWith(nodeResourcesFit(), makePod("p", { requests: { cpu: "1", memory: "2Gi" } }), snapshot)).toEqual({ busy: 25, idle: 75 });
    // cpu (1000 − 100) × 100 / 1000 = 90, memory (1Gi − 200Mi) × 100 / 1Gi = 80 → 85.
    expect(scoreWith(nodeResourcesFit(), makePod("be"), snapshotFromObjects([makeNode("n", { cpu: "1", memory: "1Gi" })]))).toEqual({ n: 85 });
  });

  it("weights resources and leaves out extended resources the pod does not request", () => {
    const resources = [
      { name: "cpu", weight: 3 },
      { name: "memory", weight: 1 },
      { name: "example.com/gpu", weight: 2 },
    ];
    const plugin = nodeResourcesFit({ scoringStrategy: { resources } });
    // (25 × 3 + 50 × 1) / 4 = 31
    expect(scoreWith(plugin, pod, snapshotFromObjects(nodes))).toEqual({ small: 31, big: 50 });
    const gpuNode = makeNode("gpu", { cpu: "4", memory: "10Gi", allocatable: { "example.com/gpu": 4 } });
    const gpuPod = makePod("g", { requests: { cpu: "3", memory: "5Gi", "example.com/gpu": 1 } });
    // (25 × 3 + 50 + 75 × 2) / 6 = 45; a node without the resource leaves it out: (25 × 3 + 50) / 4 = 31.
    expect(scoreWith(plugin, gpuPod, snapshotFromObjects([gpuNode, nodes[0] ?? makeNode("x")]))).toEqual({ gpu: 45, small: 31 });
  });

  it("MostAllocated: requested × 100 / capacity, requests past capacity count as full", () => {
    const plugin = nodeResourcesFit({ scoringStrategy: { type: "MostAllocated" } });
    expect(scoreWith(plugin, pod, snapshotFromObjects(nodes))).toEqual({ small: 62, big: 50 });
    expect(scoreWith(plugin, makePod("be"), snapshotFromObjects([makeNode("tiny", { cpu: "100m", memory: "100Mi" })]))).toEqual({ tiny: 100 });
  });
});

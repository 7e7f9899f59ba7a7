import { describe, expect, it } from "vitest";
import { extenderFilter, extenderPrioritize } from "./extender.ts";
import { snapshotFromObjects } from "./snapshot.ts";
import { makeNode, makePod } from "./testing.ts";

describe("extender verbs", () => {
  const snapshot = snapshotFromObjects(
    [
      makeNode("full", { cpu: "2" }),
      makeNode("free", { cpu: "2" }),
      makeNode("tainted", { taints: [{ key: "k", value: "v", effect: "NoSchedule" }] }),
      makeNode("bigger", { cpu: "8", memory: "16Gi" }),
    ],
    // A bound mirror Pod kube-scheduler knows nothing about.
    [makePod("mirror", { nodeName: "full", requests: { cpu: "2" } })],
  );

  it("filter: FailedNodes for resolvable failures, FailedAndUnresolvableNodes for the rest", () => {
    const realPod = makePod("real", { requests: { cpu: "1" } });
    expect(extenderFilter(realPod, ["full", "free", "tainted", "unknown"], snapshot)).toEqual({
      NodeNames: ["free", "unknown"],
      FailedNodes: { full: "Insufficient cpu" },
      FailedAndUnresolvableNodes: { tainted: "node(s) had untolerated taint {k: v}" },
      Error: "",
    });
  });

  it("filter: a PreFilter rejection fails every node", () => {
    const conflict = makePod("p", {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["a"] }, { key: "metadata.name", operator: "In", values: ["b"] }] }],
          },
        },
      },
    });
    expect(extenderFilter(conflict, ["free"], snapshot).FailedAndUnresolvableNodes).toEqual({ free: "pod affinity terms conflict" });
  });

  it("filter: a plugin error becomes the Error field", () => {
    const broken = { plugins: [{ name: "Broken", filter: () => ({ code: "Error" as const, reasons: ["boom"] }) }] };
    expect(extenderFilter(makePod("p"), ["free"], snapshot, broken)).toEqual({
      NodeNames: [],
      FailedNodes: {},
      FailedAndUnresolvableNodes: {},
      Error: "Broken: boom",
    });
  });

  it("prioritize: the weighted total scaled to 0–10, emptier nodes higher", () => {
    const scores = extenderPrioritize(makePod("real", { requests: { cpu: "1", memory: "1Gi" } }), ["full", "free", "bigger", "unknown"], snapshot);
    expect(scores.map((s) => s.Host)).toEqual(["full", "free", "bigger", "unknown"]);
    for (const s of scores) {
      expect(s.Score).toBeGreaterThanOrEqual(0);
      expect(s.Score).toBeLessThanOrEqual(10);
    }
    const by = Object.fromEntries(scores.map((s) => [s.Host, s.Score]));
    expect(by.bigger).toBeGreaterThan(by.full ?? 0);
    expect(by.unknown).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import type { NodeSelectorTermLike } from "../../objects.ts";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, scoreWith } from "../../testing.ts";
import { nodeAffinity } from "./node-affinity.ts";

const REASON = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";

function required(...terms: NodeSelectorTermLike[]) {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

describe("NodeAffinity filter", () => {
  const snapshot = snapshotFromObjects([
    makeNode("a", { labels: { zone: "z1", disk: "ssd", cores: "16" } }),
    makeNode("b", { labels: { zone: "z2", cores: "4" } }),
    makeNode("c", { labels: { zone: "z3" } }),
  ]);

  it("applies spec.nodeSelector", () => {
    expect(filterWith(nodeAffinity(), makePod("p", { nodeSelector: { disk: "ssd" } }), snapshot)).toEqual({ a: null, b: REASON, c: REASON });
  });

  it.each([
    ["In", { key: "zone", operator: "In", values: ["z1", "z2"] }, ["a", "b"]],
    ["NotIn", { key: "zone", operator: "NotIn", values: ["z1"] }, ["b", "c"]],
    ["Exists", { key: "cores", operator: "Exists" }, ["a", "b"]],
    ["DoesNotExist", { key: "cores", operator: "DoesNotExist" }, ["c"]],
    ["Gt", { key: "cores", operator: "Gt", values: ["8"] }, ["a"]],
    ["Lt", { key: "cores", operator: "Lt", values: ["8"] }, ["b"]],
  ])("supports %s", (_op, expression, fits) => {
    const verdicts = filterWith(nodeAffinity(), makePod("p", { affinity: required({ matchExpressions: [expression] }) }), snapshot);
    expect(Object.keys(verdicts).filter((n) => verdicts[n] === null)).toEqual(fits);
  });

  it("ORs terms and ANDs with the nodeSelector", () => {
    const pod = makePod("p", {
      nodeSelector: { zone: "z2" },
      affinity: required({ matchExpressions: [{ key: "disk", operator: "Exists" }] }, { matchExpressions: [{ key: "cores", operator: "Lt", values: ["8"] }] }),
    });
    expect(filterWith(nodeAffinity(), pod, snapshot)).toEqual({ a: REASON, b: null, c: REASON });
  });

  it("narrows to metadata.name matchFields in PreFilter, and rejects conflicting terms outright", () => {
    const pinned = makePod("p", { affinity: required({ matchFields: [{ key: "metadata.name", operator: "In", values: ["b"] }] }) });
    expect(filterWith(nodeAffinity(), pinned, snapshot)).toEqual({
      a: "UnschedulableAndUnresolvable: (not in PreFilter result)",
      b: null,
      c: "UnschedulableAndUnresolvable: (not in PreFilter result)",
    });
    const conflict = makePod("p", {
      affinity: required({
        matchFields: [
          { key: "metadata.name", operator: "In", values: ["a"] },
          { key: "metadata.name", operator: "In", values: ["b"] },
        ],
      }),
    });
    expect(filterWith(nodeAffinity(), conflict, snapshot).a).toBe("UnschedulableAndUnresolvable: pod affinity terms conflict");
  });

  it("skips pods without node selection", () => {
    expect(filterWith(nodeAffinity(), makePod("p"), snapshot)).toEqual({ a: null, b: null, c: null });
  });
});

describe("NodeAffinity score", () => {
  it("sums preferred term weights, normalized to the best node", () => {
    const snapshot = snapshotFromObjects([
      makeNode("a", { labels: { zone: "z1", disk: "ssd" } }),
      makeNode("b", { labels: { zone: "z1" } }),
      makeNode("c"),
    ]);
    const pod = makePod("p", {
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 2, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["z1"] }] } },
            { weight: 6, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
          ],
        },
      },
    });
    expect(scoreWith(nodeAffinity(), pod, snapshot)).toEqual({ a: 100, b: 25, c: 0 });
    expect(scoreWith(nodeAffinity(), makePod("q"), snapshot)).toBe("skip");
  });
});

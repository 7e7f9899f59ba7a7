import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { makeNode, makePod, scoreWith } from "../../testing.ts";
import { balancedAllocation, balancedResourceScorer } from "./balanced-allocation.ts";

describe("NodeResourcesBalancedAllocation", () => {
  it("scores (1 − |fcpu − fmem| / 2) × 100", () => {
    const snapshot = snapshotFromObjects([makeNode("small", { cpu: "4", memory: "10Gi" }), makeNode("big", { cpu: "6", memory: "10Gi" })]);
    // small: 0.75 vs 0.5 → std 0.125 → 87; big: 0.5 vs 0.5 → 100.
    expect(scoreWith(balancedAllocation(), makePod("p", { requests: { cpu: "3", memory: "5Gi" } }), snapshot)).toEqual({ small: 87, big: 100 });
  });

  it("uses requests as written, caps fractions at 1, and skips best-effort pods", () => {
    const snapshot = snapshotFromObjects([makeNode("n", { cpu: "1", memory: "1Gi" })], [makePod("be", { nodeName: "n" })]);
    // cpu 2/1 capped to 1, memory 0 → std 0.5 → 50 (the best-effort pod adds nothing).
    expect(scoreWith(balancedAllocation(), makePod("p", { requests: { cpu: "2" } }), snapshot)).toEqual({ n: 50 });
    expect(scoreWith(balancedAllocation(), makePod("q"), snapshot)).toBe("skip");
  });

  it("uses the standard deviation for more than two resources", () => {
    // fractions 0.5, 0.5, 0.8: mean 0.6, std √0.02 ≈ 0.1414 → 85
    expect(balancedResourceScorer([5, 5, 8], [10, 10, 10])).toBe(85);
    expect(balancedResourceScorer([5, 0], [10, 0])).toBe(100);
  });
});

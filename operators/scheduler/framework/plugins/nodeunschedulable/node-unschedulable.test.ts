import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod } from "../../testing.ts";
import { nodeUnschedulable } from "./node-unschedulable.ts";

describe("NodeUnschedulable", () => {
  const snapshot = snapshotFromObjects([makeNode("cordoned", { unschedulable: true }), makeNode("open")]);

  it("rejects a cordoned node unless the pod tolerates node.kubernetes.io/unschedulable", () => {
    expect(filterWith(nodeUnschedulable(), makePod("p"), snapshot)).toEqual({
      cordoned: "UnschedulableAndUnresolvable: node(s) were unschedulable",
      open: null,
    });
    const tolerant = makePod("p", { tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }] });
    expect(filterWith(nodeUnschedulable(), tolerant, snapshot)).toEqual({ cordoned: null, open: null });
  });
});

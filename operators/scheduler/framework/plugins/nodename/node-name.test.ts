import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod } from "../../testing.ts";
import { nodeName } from "./node-name.ts";

describe("NodeName", () => {
  it("fits only the named node, or any node when none is named", () => {
    const snapshot = snapshotFromObjects([makeNode("a"), makeNode("b")]);
    expect(filterWith(nodeName(), makePod("p", { nodeName: "b" }), snapshot)).toEqual({
      a: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name",
      b: null,
    });
    expect(filterWith(nodeName(), makePod("p"), snapshot)).toEqual({ a: null, b: null });
  });
});

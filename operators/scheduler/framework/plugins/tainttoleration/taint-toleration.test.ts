import { describe, expect, it } from "vitest";
import { snapshotFromObjects } from "../../snapshot.ts";
import { filterWith, makeNode, makePod, scoreWith } from "../../testing.ts";
import { taintToleration } from "./taint-toleration.ts";

describe("TaintToleration", () => {
  it("names the first untolerated NoSchedule/NoExecute taint", () => {
    const snapshot = snapshotFromObjects([
      makeNode("gpu", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
      makeNode("evict", { taints: [{ key: "bad", effect: "NoExecute" }] }),
      makeNode("soft", { taints: [{ key: "meh", value: "x", effect: "PreferNoSchedule" }] }),
    ]);
    expect(filterWith(taintToleration(), makePod("p"), snapshot)).toEqual({
      gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}",
      evict: "UnschedulableAndUnresolvable: node(s) had untolerated taint {bad: }",
      soft: null,
    });
    const tolerant = makePod("p", { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] });
    expect(filterWith(taintToleration(), tolerant, snapshot).gpu).toBeNull();
  });

  it("scores fewer untolerated PreferNoSchedule taints higher (reverse-normalized)", () => {
    const prefer = (key: string) => ({ key, value: "v", effect: "PreferNoSchedule" });
    const snapshot = snapshotFromObjects([
      makeNode("clean"),
      makeNode("one", { taints: [prefer("a")] }),
      makeNode("two", { taints: [prefer("a"), prefer("b")] }),
    ]);
    expect(scoreWith(taintToleration(), makePod("p"), snapshot)).toEqual({ clean: 100, one: 50, two: 0 });
    // A toleration without an effect tolerates PreferNoSchedule too.
    const tolerant = makePod("p", { tolerations: [{ key: "a", operator: "Exists" }] });
    expect(scoreWith(taintToleration(), tolerant, snapshot)).toEqual({ clean: 100, one: 100, two: 0 });
    expect(scoreWith(taintToleration(), makePod("p"), snapshotFromObjects([makeNode("x"), makeNode("y")]))).toEqual({ x: 100, y: 100 });
  });
});

import { describe, expect, it } from "vitest";
import { claimClass, claimHasClass, classAllowsNode, defaultClass, isDelayBinding, volumeFitsNode } from "./helpers.ts";
import { pv, pvc, storageClass } from "./testing.ts";

describe("storage helpers", () => {
  it("reads a claim's class from the beta annotation first, and tells '' from unset", () => {
    expect(claimClass(pvc("c", "1Gi", { className: "gold", annotations: { "volume.beta.kubernetes.io/storage-class": "old" } }))).toBe("old");
    expect(claimClass(pvc("c", "1Gi"))).toBe("");
    expect(claimHasClass(pvc("c", "1Gi"))).toBe(false);
    expect(claimHasClass(pvc("c", "1Gi", { className: "" }))).toBe(true);
  });

  it("picks the newest default class", () => {
    const classes = [
      storageClass("old", { isDefault: true, created: "2024-01-01T00:00:00Z" }),
      storageClass("new", { isDefault: true, created: "2024-02-01T00:00:00Z" }),
      storageClass("plain", { created: "2024-03-01T00:00:00Z" }),
    ];
    expect(defaultClass(classes)?.metadata.name).toBe("new");
    expect(defaultClass([storageClass("plain")])).toBeUndefined();
  });

  it("knows WaitForFirstConsumer claims (an unknown class binds at once)", () => {
    const classes = [storageClass("w", { mode: "WaitForFirstConsumer" })];
    const of = (n: string) => classes.find((c) => c.metadata.name === n);
    expect(isDelayBinding(pvc("c", "1Gi", { className: "w" }), of)).toBe(true);
    expect(isDelayBinding(pvc("c", "1Gi", { className: "x" }), of)).toBe(false);
  });

  it("checks a PV's node affinity and a class's allowed topologies", () => {
    const n1 = { name: "n1", labels: { "kubernetes.io/hostname": "n1", zone: "a" } };
    expect(volumeFitsNode(pv("v", "1Gi", { node: "n1" }), n1)).toBe(true);
    expect(volumeFitsNode(pv("v", "1Gi", { node: "n2" }), n1)).toBe(false);
    expect(volumeFitsNode(pv("v", "1Gi"), n1)).toBe(true);
    expect(classAllowsNode(storageClass("s"), n1)).toBe(true);
    expect(classAllowsNode(storageClass("s", { allowedTopologies: [{ matchLabelExpressions: [{ key: "zone", values: ["b"] }] }, { matchLabelExpressions: [{ key: "zone", values: ["a"] }] }] }), n1)).toBe(true);
    expect(classAllowsNode(storageClass("s", { allowedTopologies: [{ matchLabelExpressions: [{ key: "zone", values: ["b"] }] }] }), n1)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { accessModesKey, findBestMatchForClaim, findMatchingVolume, volumeSatisfiesClaim } from "./matching.ts";
import { pv, pvc } from "./testing.ts";

const names = (v: { metadata: { name?: string } } | undefined) => v?.metadata.name;

describe("findMatchingVolume", () => {
  it("takes the smallest PV that fits", () => {
    const volumes = [pv("ten", "10Gi"), pv("one", "1Gi"), pv("five", "5Gi")];
    expect(names(findMatchingVolume(pvc("c", "3Gi"), volumes))).toBe("five");
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes))).toBe("one");
    expect(findMatchingVolume(pvc("c", "11Gi"), volumes)).toBeUndefined();
  });

  it("compares quantities exactly across units", () => {
    const volumes = [pv("a", "1G"), pv("b", "1Gi")];
    // 1G = 10^9 < 1Gi = 2^30 bytes.
    expect(names(findMatchingVolume(pvc("c", "1000Mi"), volumes))).toBe("b");
    expect(names(findMatchingVolume(pvc("c", "953Mi"), volumes))).toBe("a");
  });

  it("requires an equal class, '' equal to unset", () => {
    const volumes = [pv("gold", "1Gi", { className: "gold" }), pv("none", "2Gi")];
    expect(names(findMatchingVolume(pvc("c", "1Gi", { className: "gold" }), volumes))).toBe("gold");
    expect(names(findMatchingVolume(pvc("c", "1Gi", { className: "" }), volumes))).toBe("none");
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes))).toBe("none");
    expect(findMatchingVolume(pvc("c", "1Gi", { className: "silver" }), volumes)).toBeUndefined();
  });

  it("requires an equal volumeMode", () => {
    const volumes = [pv("block", "1Gi", { volumeMode: "Block" }), pv("fs", "2Gi")];
    expect(names(findMatchingVolume(pvc("c", "1Gi", { volumeMode: "Block" }), volumes))).toBe("block");
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes))).toBe("fs");
  });

  it("honours the claim's selector", () => {
    const volumes = [pv("fast", "5Gi", { labels: { tier: "fast" } }), pv("slow", "1Gi", { labels: { tier: "slow" } })];
    expect(names(findMatchingVolume(pvc("c", "1Gi", { selector: { matchLabels: { tier: "fast" } } }), volumes))).toBe("fast");
    expect(names(findMatchingVolume(pvc("c", "1Gi", { selector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["slow"] }] } }), volumes))).toBe("fast");
  });

  it("skips PVs that are not Available, claimed by others, or being deleted", () => {
    const volumes = [
      pv("released", "1Gi", { phase: "Released" }),
      pv("other", "1Gi", { claimRef: { namespace: "ns", name: "other" } }),
      pv("deleting", "1Gi", { deleting: true }),
      pv("ok", "9Gi"),
    ];
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes))).toBe("ok");
  });

  it("returns a PV pre-bound to the claim whatever its class, phase or the smaller PVs around", () => {
    const volumes = [pv("small", "1Gi"), pv("mine", "9Gi", { claimRef: { namespace: "ns", name: "c" }, className: "other", phase: "Pending" })];
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes))).toBe("mine");
    // A UID in the claimRef must be the claim's.
    const stale = [pv("mine", "9Gi", { claimRef: { namespace: "ns", name: "c", uid: "old" } })];
    expect(findMatchingVolume(pvc("c", "1Gi"), stale)).toBeUndefined();
    // Too small even pre-bound.
    expect(findMatchingVolume(pvc("c", "10Gi"), volumes)).toBeUndefined();
  });

  it("binds only pre-bound PVs for a WaitForFirstConsumer claim in the binder", () => {
    const volumes = [pv("free", "1Gi"), pv("mine", "1Gi", { claimRef: { namespace: "ns", name: "c" } })];
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes, { delayBinding: true }))).toBe("mine");
    expect(findMatchingVolume(pvc("d", "1Gi"), volumes, { delayBinding: true })).toBeUndefined();
  });

  it("on the scheduler's path checks node affinity and access modes, and skips excluded PVs", () => {
    const volumes = [pv("a", "1Gi", { node: "n1" }), pv("b", "2Gi", { node: "n2" }), pv("rox", "1Gi", { modes: ["ReadOnlyMany"] })];
    const n1 = { name: "n1", labels: { "kubernetes.io/hostname": "n1" } };
    const n2 = { name: "n2", labels: { "kubernetes.io/hostname": "n2" } };
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes, { node: n1 }))).toBe("a");
    expect(names(findMatchingVolume(pvc("c", "1Gi"), volumes, { node: n2 }))).toBe("b");
    expect(findMatchingVolume(pvc("c", "1Gi"), volumes, { node: n1, excluded: new Set(["a"]) })).toBeUndefined();
    // A pre-bound PV on another node means no match at all.
    const prebound = [pv("p", "1Gi", { node: "n1", claimRef: { namespace: "ns", name: "c" } }), pv("q", "1Gi", { node: "n2" })];
    expect(findMatchingVolume(pvc("c", "1Gi"), prebound, { node: n2 })).toBeUndefined();
  });
});

describe("findBestMatchForClaim", () => {
  it("visits access-mode groups smallest set first", () => {
    const volumes = [pv("rwo-rox-5", "5Gi", { modes: ["ReadWriteOnce", "ReadOnlyMany"] }), pv("rwo-10", "10Gi", { modes: ["ReadWriteOnce"] })];
    expect(names(findBestMatchForClaim(pvc("c", "1Gi"), volumes, false))).toBe("rwo-10");
    // A claim for RWO+ROX can only use the bigger set.
    expect(names(findBestMatchForClaim(pvc("c", "1Gi", { modes: ["ReadWriteOnce", "ReadOnlyMany"] }), volumes, false))).toBe("rwo-rox-5");
  });

  it("falls through to a larger set when the smallest has no match", () => {
    const volumes = [pv("rwo-1", "1Gi", { modes: ["ReadWriteOnce"] }), pv("rwo-rwx-5", "5Gi", { modes: ["ReadWriteOnce", "ReadWriteMany"] })];
    expect(names(findBestMatchForClaim(pvc("c", "3Gi"), volumes, false))).toBe("rwo-rwx-5");
    expect(findBestMatchForClaim(pvc("c", "1Gi", { modes: ["ReadOnlyMany"] }), volumes, false)).toBeUndefined();
  });

  it("keys mode sets in upstream's order, duplicates removed", () => {
    expect(accessModesKey(["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"])).toBe("ReadWriteOnce,ReadWriteMany");
    expect(accessModesKey(undefined)).toBe("");
  });
});

describe("volumeSatisfiesClaim", () => {
  it("says why a requested PV does not fit, in upstream's words", () => {
    expect(volumeSatisfiesClaim(pv("v", "1Gi"), pvc("c", "2Gi"))).toBe("requested PV is too small");
    expect(volumeSatisfiesClaim(pv("v", "2Gi", { className: "a" }), pvc("c", "2Gi", { className: "b" }))).toBe("storageClassName does not match");
    expect(volumeSatisfiesClaim(pv("v", "2Gi", { volumeMode: "Block" }), pvc("c", "2Gi"))).toBe("incompatible volumeMode");
    expect(volumeSatisfiesClaim(pv("v", "2Gi", { modes: ["ReadOnlyMany"] }), pvc("c", "2Gi"))).toBe("incompatible accessMode");
    expect(volumeSatisfiesClaim(pv("v", "2Gi", { deleting: true }), pvc("c", "2Gi"))).toBe('the volume is marked for deletion "v"');
    expect(volumeSatisfiesClaim(pv("v", "2Gi"), pvc("c", "2Gi"))).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { RawObject } from "../resources.ts";
import { claimProtection, finalizerPatch, volumeProtection } from "./protection.ts";

const F = "kubernetes.io/pvc-protection";
const obj = (o: { finalizers?: string[]; deleting?: boolean; phase?: string } = {}): RawObject => ({
  metadata: { name: "x", namespace: "ns", resourceVersion: "7", finalizers: o.finalizers, ...(o.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }) },
  status: { phase: o.phase },
});
const pod = (nodeName?: string): RawObject => ({ metadata: { name: "p" }, spec: { nodeName } });

describe("claim protection", () => {
  it("adds the finalizer to a live claim that lacks it", () => {
    expect(claimProtection(obj(), [], F)).toBe("add");
    expect(claimProtection(obj({ finalizers: [F] }), [], F)).toBeUndefined();
  });

  it("lets a deleted claim go only when no scheduled pod uses it", () => {
    expect(claimProtection(obj({ finalizers: [F], deleting: true }), [pod("n1")], F)).toBeUndefined();
    expect(claimProtection(obj({ finalizers: [F], deleting: true }), [pod()], F)).toBe("remove");
    expect(claimProtection(obj({ finalizers: [F], deleting: true }), [], F)).toBe("remove");
    expect(claimProtection(obj({ deleting: true }), [], F)).toBeUndefined();
  });
});

describe("volume protection", () => {
  it("holds a deleted volume while it is Bound", () => {
    const P = "kubernetes.io/pv-protection";
    expect(volumeProtection(obj(), P)).toBe("add");
    expect(volumeProtection(obj({ finalizers: [P], deleting: true, phase: "Bound" }), P)).toBeUndefined();
    expect(volumeProtection(obj({ finalizers: [P], deleting: true, phase: "Released" }), P)).toBe("remove");
  });
});

describe("finalizerPatch", () => {
  it("adds or removes one finalizer, keeping the others, conditional on the resourceVersion", () => {
    expect(finalizerPatch(obj({ finalizers: ["a"] }), F, "add")).toEqual({ metadata: { resourceVersion: "7", finalizers: ["a", F] } });
    expect(finalizerPatch(obj({ finalizers: ["a", F] }), F, "remove")).toEqual({ metadata: { resourceVersion: "7", finalizers: ["a"] } });
  });
});

import { describe, expect, it } from "vitest";
import { boundTo, pv, pvc } from "../testing.ts";
import { claimBindPatch, claimStatusPatch, volumeBindPatch, volumePhasePatch, volumeUnbindPatch } from "./actions.ts";

describe("the binding's writes", () => {
  const claim = pvc("c", "1Gi", { resourceVersion: "11" });

  it("binds a volume: claimRef with UID and bound-by-controller, conditional on its version; nothing when done", () => {
    expect(volumeBindPatch(pv("v", "1Gi", { resourceVersion: "5" }), claim)).toEqual({
      metadata: { resourceVersion: "5", annotations: { "pv.kubernetes.io/bound-by-controller": "yes" } },
      spec: { claimRef: { apiVersion: "core.mirrorkube.dev/v1alpha1", kind: "PersistentVolumeClaim", namespace: "ns", name: "c", uid: "uid-c", resourceVersion: "11" } },
    });
    // Pre-bound by the user (no UID yet): the UID is added, bound-by-controller is not.
    expect(volumeBindPatch(pv("v", "1Gi", { claimRef: { namespace: "ns", name: "c" } }), claim)).toEqual({ metadata: { resourceVersion: "1" }, spec: { claimRef: expect.objectContaining({ uid: "uid-c" }) } });
    expect(volumeBindPatch(boundTo(pv("v", "1Gi", { annotations: { "pv.kubernetes.io/bound-by-controller": "yes" } }), claim), claim)).toBeUndefined();
  });

  it("binds a claim: volumeName, bound-by-controller when the controller chose, bind-completed", () => {
    expect(claimBindPatch(claim, pv("v", "1Gi"))).toEqual({
      metadata: { resourceVersion: "11", annotations: { "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes" } },
      spec: { volumeName: "v" },
    });
    expect(claimBindPatch(pvc("c", "1Gi", { volumeName: "v" }), pv("v", "1Gi"))).toEqual({ metadata: { resourceVersion: "1", annotations: { "pv.kubernetes.io/bind-completed": "yes" } } });
    expect(claimBindPatch(pvc("c", "1Gi", { volumeName: "v", annotations: { "pv.kubernetes.io/bind-completed": "yes" } }), pv("v", "1Gi"))).toBeUndefined();
  });

  it("copies the volume's access modes, and its capacity as the claim becomes Bound", () => {
    const volume = pv("v", "5Gi", { modes: ["ReadWriteOnce", "ReadOnlyMany"] });
    expect(claimStatusPatch(claim, "Bound", volume)).toEqual({
      metadata: { resourceVersion: "11" },
      status: { phase: "Bound", accessModes: ["ReadWriteOnce", "ReadOnlyMany"], capacity: { storage: "5Gi" } },
    });
    const bound = pvc("c", "1Gi", { phase: "Bound", status: { accessModes: ["ReadWriteOnce", "ReadOnlyMany"], capacity: { storage: "4Gi" } } });
    // Already Bound: a different capacity (a resize) is left alone.
    expect(claimStatusPatch(bound, "Bound", volume)).toBeUndefined();
    expect(claimStatusPatch(bound, "Pending", undefined)).toEqual({ metadata: { resourceVersion: "1" }, status: { phase: "Pending", accessModes: null, capacity: null } });
    expect(claimStatusPatch(pvc("c", "1Gi"), "Pending", undefined)).toBeUndefined();
  });

  it("sets a volume's phase with its transition time, once", () => {
    expect(volumePhasePatch(pv("v", "1Gi", { phase: "Pending" }), "Available", "2024-05-01T12:00:00Z")).toEqual({
      metadata: { resourceVersion: "1" },
      status: { phase: "Available", message: null, lastPhaseTransitionTime: "2024-05-01T12:00:00Z" },
    });
    expect(volumePhasePatch(pv("v", "1Gi"), "Available", "2024-05-01T12:00:00Z")).toBeUndefined();
  });

  it("rolls back the controller's binding entirely, the user's only to the claim's name", () => {
    expect(volumeUnbindPatch(boundTo(pv("v", "1Gi", { annotations: { "pv.kubernetes.io/bound-by-controller": "yes" } }), claim))).toEqual({
      metadata: { resourceVersion: "1", annotations: { "pv.kubernetes.io/bound-by-controller": null } },
      spec: { claimRef: null },
    });
    expect(volumeUnbindPatch(boundTo(pv("v", "1Gi"), claim))).toEqual({ metadata: { resourceVersion: "1" }, spec: { claimRef: { uid: null } } });
  });
});

import { describe, expect, it } from "vitest";
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../api/index.ts";
import { boundTo, pv, pvc, storageClass } from "../testing.ts";
import type { BinderView } from "./actions.ts";
import { syncClaim } from "./sync-claim.ts";
import { syncVolume } from "./sync-volume.ts";

function view(o: { volumes?: PersistentVolume[]; claims?: PersistentVolumeClaim[]; classes?: StorageClass[]; pods?: Record<string, string[]> } = {}): BinderView {
  const volumes = o.volumes ?? [];
  const classes = o.classes ?? [];
  return {
    volume: (name) => volumes.find((v) => v.metadata.name === name),
    volumes: () => volumes,
    claim: (key) => (o.claims ?? []).find((c) => `${c.metadata.namespace}/${c.metadata.name}` === key),
    storageClass: (name) => classes.find((c) => c.metadata.name === name),
    defaultClass: () => classes.find((c) => c.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true"),
    unscheduledPodsUsing: (key) => o.pods?.[key] ?? [],
  };
}

const completed = { "pv.kubernetes.io/bind-completed": "yes" };

describe("syncClaim, unbound", () => {
  it("binds the best match", () => {
    const volumes = [pv("one", "1Gi"), pv("five", "5Gi"), pv("ten", "10Gi")];
    expect(syncClaim(pvc("c", "3Gi"), view({ volumes }))).toEqual([{ kind: "bind", volume: "five", claim: "ns/c" }]);
  });

  it("says FailedBinding and stays Pending without a match or a class", () => {
    expect(syncClaim(pvc("c", "3Gi"), view({ volumes: [pv("one", "1Gi")] }))).toEqual([
      { kind: "claimEvent", claim: "ns/c", event: { type: "Normal", reason: "FailedBinding", message: "no persistent volumes available for this claim and no storage class is set" } },
      { kind: "claimStatus", claim: "ns/c", phase: "Pending" },
    ]);
  });

  it("assigns the default class to a claim without one, but not to a claim that asked for ''", () => {
    const classes = [storageClass("standard", { isDefault: true })];
    expect(syncClaim(pvc("c", "1Gi"), view({ classes }))).toEqual([{ kind: "assignClass", claim: "ns/c", className: "standard" }]);
    expect(syncClaim(pvc("c", "1Gi", { className: "" }), view({ classes }))[0]).toMatchObject({ kind: "claimEvent", event: { reason: "FailedBinding" } });
  });

  it("hands a claim with a class to its provisioner, with upstream's ExternalProvisioning event", () => {
    const actions = syncClaim(pvc("c", "1Gi", { className: "fast" }), view({ classes: [storageClass("fast")] }));
    expect(actions).toEqual([
      { kind: "setProvisioner", claim: "ns/c", provisioner: "mirrorkube.dev/hostpath" },
      {
        kind: "claimEvent",
        claim: "ns/c",
        event: {
          type: "Normal",
          reason: "ExternalProvisioning",
          message:
            "Waiting for a volume to be created either by the external provisioner 'mirrorkube.dev/hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
        },
      },
    ]);
  });

  it("reports a missing class or an in-tree provisioner as ProvisioningFailed", () => {
    expect(syncClaim(pvc("c", "1Gi", { className: "nope" }), view())).toEqual([
      { kind: "claimEvent", claim: "ns/c", event: { type: "Warning", reason: "ProvisioningFailed", message: 'storageclass.storage.mirrorkube.dev "nope" not found' } },
    ]);
    const local = storageClass("local", { provisioner: "kubernetes.io/no-provisioner" });
    expect(syncClaim(pvc("c", "1Gi", { className: "local" }), view({ classes: [local] }))[0]).toMatchObject({ event: { message: "no volume plugin matched name: kubernetes.io/no-provisioner" } });
  });

  it("waits for the first consumer, naming unscheduled pods, and leaves free PVs to the scheduler", () => {
    const classes = [storageClass("wffc", { mode: "WaitForFirstConsumer" })];
    const volumes = [pv("free", "5Gi", { className: "wffc" })];
    const claim = pvc("c", "1Gi", { className: "wffc" });
    expect(syncClaim(claim, view({ classes, volumes }))).toEqual([
      { kind: "claimEvent", claim: "ns/c", event: { type: "Normal", reason: "WaitForFirstConsumer", message: "waiting for first consumer to be created before binding" } },
      { kind: "claimStatus", claim: "ns/c", phase: "Pending" },
    ]);
    expect(syncClaim(claim, view({ classes, volumes, pods: { "ns/c": ["web-0"] } }))[0]).toMatchObject({ event: { reason: "WaitForPodScheduled", message: "waiting for pod web-0 to be scheduled" } });
    expect(syncClaim(claim, view({ classes, volumes, pods: { "ns/c": ["a", "b"] } }))[0]).toMatchObject({ event: { message: "waiting for pods a,b to be scheduled" } });
    // Once the scheduler picked a node, it is provisioned.
    const selected = pvc("c", "1Gi", { className: "wffc", annotations: { "volume.kubernetes.io/selected-node": "n1" } });
    expect(syncClaim(selected, view({ classes, volumes }))[0]).toMatchObject({ kind: "setProvisioner" });
    // A PV pre-bound to it (by the scheduler or a provisioner) is bound.
    const prebound = [pv("pvc-c", "1Gi", { className: "wffc", claimRef: { namespace: "ns", name: "c", uid: "uid-c" } })];
    expect(syncClaim(claim, view({ classes, volumes: prebound }))).toEqual([{ kind: "bind", volume: "pvc-c", claim: "ns/c" }]);
  });
});

describe("syncClaim, spec.volumeName", () => {
  it("binds the requested PV when it satisfies the claim", () => {
    expect(syncClaim(pvc("c", "1Gi", { volumeName: "v" }), view({ volumes: [pv("v", "1Gi")] }))).toEqual([{ kind: "bind", volume: "v", claim: "ns/c" }]);
  });

  it("says VolumeMismatch with upstream's reason when it does not", () => {
    expect(syncClaim(pvc("c", "2Gi", { volumeName: "v" }), view({ volumes: [pv("v", "1Gi")] }))).toEqual([
      { kind: "claimEvent", claim: "ns/c", event: { type: "Warning", reason: "VolumeMismatch", message: 'Cannot bind to requested volume "v": requested PV is too small' } },
      { kind: "claimStatus", claim: "ns/c", phase: "Pending" },
    ]);
  });

  it("stays Pending while the PV does not exist", () => {
    expect(syncClaim(pvc("c", "1Gi", { volumeName: "v" }), view())).toEqual([{ kind: "claimStatus", claim: "ns/c", phase: "Pending" }]);
  });

  it("says FailedBinding when the PV is bound to another claim", () => {
    const volumes = [boundTo(pv("v", "1Gi"), pvc("other", "1Gi"))];
    expect(syncClaim(pvc("c", "1Gi", { volumeName: "v" }), view({ volumes }))).toEqual([
      { kind: "claimEvent", claim: "ns/c", event: { type: "Warning", reason: "FailedBinding", message: 'volume "v" already bound to a different claim.' } },
      { kind: "claimStatus", claim: "ns/c", phase: "Pending" },
    ]);
  });
});

describe("syncClaim, bound", () => {
  it("keeps a bound claim bound (the bind writes only what is missing)", () => {
    const claim = pvc("c", "1Gi", { volumeName: "v", annotations: completed, phase: "Bound" });
    expect(syncClaim(claim, view({ volumes: [boundTo(pv("v", "1Gi"), claim)] }))).toEqual([{ kind: "bind", volume: "v", claim: "ns/c" }]);
  });

  it("is Lost, with ClaimLost, when its PV is gone", () => {
    const claim = pvc("c", "1Gi", { volumeName: "v", annotations: completed, phase: "Bound" });
    expect(syncClaim(claim, view())).toEqual([
      { kind: "claimStatus", claim: "ns/c", phase: "Lost", event: { type: "Warning", reason: "ClaimLost", message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!" } },
    ]);
  });

  it("is Lost, with ClaimMisbound, when its PV is bound to another claim", () => {
    const claim = pvc("c", "1Gi", { volumeName: "v", annotations: completed, phase: "Bound" });
    const volumes = [boundTo(pv("v", "1Gi"), pvc("other", "1Gi"))];
    expect(syncClaim(claim, view({ volumes }))[0]).toMatchObject({ phase: "Lost", event: { reason: "ClaimMisbound" } });
  });
});

describe("syncVolume", () => {
  const claim = pvc("c", "1Gi", { volumeName: "v", annotations: completed, phase: "Bound" });

  it("makes an unused or pre-bound volume Available and a bound one Bound", () => {
    expect(syncVolume(pv("v", "1Gi", { phase: "Pending" }), view())).toEqual([{ kind: "volumePhase", volume: "v", phase: "Available" }]);
    expect(syncVolume(pv("v", "1Gi", { claimRef: { namespace: "ns", name: "c" } }), view())).toEqual([{ kind: "volumePhase", volume: "v", phase: "Available" }]);
    expect(syncVolume(boundTo(pv("v", "1Gi"), claim), view({ claims: [claim] }))).toEqual([{ kind: "volumePhase", volume: "v", phase: "Bound" }]);
  });

  it("hands a volume whose claim has not bound yet to the claim's sync", () => {
    const unbound = pvc("c", "1Gi");
    expect(syncVolume(boundTo(pv("v", "1Gi"), unbound), view({ claims: [unbound] }))).toEqual([{ kind: "enqueueClaim", claim: "ns/c" }]);
  });

  it("Releases a volume whose claim is gone (or replaced) and applies the reclaim policy", () => {
    const retained = boundTo(pv("v", "1Gi", { reclaim: "Retain" }), claim);
    expect(syncVolume(retained, view())).toEqual([{ kind: "volumePhase", volume: "v", phase: "Released", confirmClaimGone: true }]);
    const replaced = pvc("c", "1Gi", { uid: "new" });
    expect(syncVolume(retained, view({ claims: [replaced] }))).toEqual([{ kind: "volumePhase", volume: "v", phase: "Released", confirmClaimGone: true }]);
    // Already Released: nothing more for Retain.
    expect(syncVolume({ ...retained, status: { phase: "Released" } }, view())).toEqual([]);
    // A provisioner's Delete volume is its provisioner's to delete.
    const provisioned = boundTo(pv("v", "1Gi", { reclaim: "Delete", annotations: { "pv.kubernetes.io/provisioned-by": "mirrorkube.dev/hostpath" } }), claim);
    expect(syncVolume({ ...provisioned, status: { phase: "Released" } }, view())).toEqual([]);
    // A static Delete volume has no deleter.
    const manual = boundTo(pv("v", "1Gi", { reclaim: "Delete" }), claim);
    expect(syncVolume({ ...manual, status: { phase: "Released" } }, view())).toEqual([
      { kind: "volumePhase", volume: "v", phase: "Failed", event: { type: "Warning", reason: "VolumeFailedDelete", message: 'error getting deleter volume plugin for volume "v": no deletable volume plugin matched' } },
    ]);
  });

  it("rolls back a binding the claim settled elsewhere", () => {
    const elsewhere = pvc("c", "1Gi", { volumeName: "w", annotations: completed, phase: "Bound" });
    expect(syncVolume(boundTo(pv("v", "1Gi"), elsewhere), view({ claims: [elsewhere] }))).toEqual([{ kind: "unbindVolume", volume: "v" }]);
  });

  it("reports a volumeMode mismatch on both sides", () => {
    const block = pvc("c", "1Gi", { volumeMode: "Block" });
    const actions = syncVolume(boundTo(pv("v", "1Gi"), block), view({ claims: [block] }));
    expect(actions.map((a) => ("event" in a ? a.event?.message : undefined))).toEqual([
      'Cannot bind PersistentVolume to requested PersistentVolumeClaim "c" due to incompatible volumeMode.',
      'Cannot bind PersistentVolume "v" to requested PersistentVolumeClaim due to incompatible volumeMode.',
    ]);
  });
});

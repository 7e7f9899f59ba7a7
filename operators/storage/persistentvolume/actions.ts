// What a sync of the binder decides, and the pure pieces its effects are
// made of: the binding written on both sides and the statuses, as upstream's
// GetBindVolumeToClaim, bindClaimToVolume, updateClaimStatus and
// updateVolumePhase compute them.
import { kinds, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from "../../api/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import { semanticEqual } from "../../workloads/common/index.ts";
import { isVolumeBoundToClaim } from "../helpers.ts";
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER } from "../names.ts";

export type VolumePhase = PersistentVolume["status"]["phase"];
export type ClaimPhase = PersistentVolumeClaim["status"]["phase"];

export interface EventSpec {
  type: EventType;
  reason: string;
  message: string;
}

/** In order; effects stop at the first failure and the sync is retried. */
export type Action =
  /** Both sides, volume first: claimRef, volume phase Bound, claim volumeName and annotations, claim status Bound. */
  | { kind: "bind"; volume: string; claim: string }
  /** The claim's phase (accessModes and capacity follow the volume, if any); the event only if the phase changes. */
  | { kind: "claimStatus"; claim: string; phase: ClaimPhase; volume?: string; event?: EventSpec }
  /** The volume's phase; the event only if the phase changes. */
  | { kind: "volumePhase"; volume: string; phase: VolumePhase; event?: EventSpec; confirmClaimGone?: boolean }
  /** Rolls a binding back: claimRef dropped (bound by controller) or its UID cleared (pre-bound by the user), then Available. */
  | { kind: "unbindVolume"; volume: string }
  | { kind: "assignClass"; claim: string; className: string }
  /** Annotates the claim for its provisioner (volume.kubernetes.io/storage-provisioner and the beta form). */
  | { kind: "setProvisioner"; claim: string; provisioner: string }
  | { kind: "claimEvent"; claim: string; event: EventSpec }
  | { kind: "volumeEvent"; volume: string; event: EventSpec }
  | { kind: "enqueueClaim"; claim: string }
  /** Upstream returns an error here: the sync is retried with backoff. */
  | { kind: "fail"; message: string };

/** What the binder's decisions read: the caches, with its own writes assumed. */
export interface BinderView {
  volume(name: string): PersistentVolume | undefined;
  volumes(): readonly PersistentVolume[];
  /** By "namespace/name". */
  claim(key: string): PersistentVolumeClaim | undefined;
  storageClass(name: string): StorageClass | undefined;
  defaultClass(): StorageClass | undefined;
  /** Names of the unscheduled, active Pods that use the claim, sorted. */
  unscheduledPodsUsing(claimKey: string): string[];
}

type Patch = Record<string, unknown>;

function annotationsPatch(current: Record<string, string> | undefined, wanted: Record<string, string>): Record<string, string> | undefined {
  const missing = Object.entries(wanted).filter(([k]) => current?.[k] === undefined);
  return missing.length > 0 ? Object.fromEntries(missing) : undefined;
}

/**
 * GetBindVolumeToClaim as a merge patch (with the resourceVersion, so a stale
 * read fails with a conflict instead of binding over someone else), or
 * undefined when the volume is already bound to the claim.
 */
export function volumeBindPatch(volume: PersistentVolume, claim: PersistentVolumeClaim): Patch | undefined {
  const ref = volume.spec.claimRef;
  const meta = claim.metadata;
  const refDirty = !ref || ref.name !== meta.name || ref.namespace !== meta.namespace || ref.uid !== meta.uid;
  // Bound by the controller unless the user pre-bound this volume to this claim.
  const annotations = isVolumeBoundToClaim(volume, claim) ? undefined : annotationsPatch(volume.metadata.annotations, { [ANN_BOUND_BY_CONTROLLER]: "yes" });
  if (!refDirty && !annotations) return undefined;
  return {
    metadata: { resourceVersion: volume.metadata.resourceVersion, ...(annotations && { annotations }) },
    ...(refDirty && { spec: { claimRef: claimRefOf(claim) } }),
  };
}

/** The reference a bound PV keeps to its claim (upstream reference.GetReference). */
export function claimRefOf(claim: PersistentVolumeClaim): NonNullable<PersistentVolume["spec"]["claimRef"]> {
  const { namespace, name, uid, resourceVersion } = claim.metadata;
  return { apiVersion: kinds.PersistentVolumeClaim.apiVersion, kind: kinds.PersistentVolumeClaim.kind, namespace, name, uid, resourceVersion };
}

/** bindClaimToVolume as a merge patch, or undefined when nothing is missing. */
export function claimBindPatch(claim: PersistentVolumeClaim, volume: PersistentVolume): Patch | undefined {
  const name = volume.metadata.name ?? "";
  const shouldBind = claim.spec.volumeName !== name;
  const wanted: Record<string, string> = { [ANN_BIND_COMPLETED]: "yes" };
  if (shouldBind) wanted[ANN_BOUND_BY_CONTROLLER] = "yes";
  const annotations = annotationsPatch(claim.metadata.annotations, wanted);
  if (!shouldBind && !annotations) return undefined;
  return { metadata: { resourceVersion: claim.metadata.resourceVersion, ...(annotations && { annotations }) }, ...(shouldBind && { spec: { volumeName: name } }) };
}

/** unbindVolume as a merge patch. */
export function volumeUnbindPatch(volume: PersistentVolume): Patch {
  const byController = volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined;
  return byController
    ? { metadata: { resourceVersion: volume.metadata.resourceVersion, annotations: { [ANN_BOUND_BY_CONTROLLER]: null } }, spec: { claimRef: null } }
    : { metadata: { resourceVersion: volume.metadata.resourceVersion }, spec: { claimRef: { uid: null } } };
}

/**
 * updateClaimStatus: the phase; accessModes from the volume (cleared without
 * one); capacity from the volume only as the claim becomes Bound (a later
 * difference can be a deliberate resize). Undefined when nothing changes.
 */
export function claimStatusPatch(claim: PersistentVolumeClaim, phase: ClaimPhase, volume: PersistentVolume | undefined): Patch | undefined {
  const status: Record<string, unknown> = {};
  const current = claim.status;
  if (current.phase !== phase) status.phase = phase;
  if (!volume) {
    if (current.accessModes !== undefined) status.accessModes = null;
    if (current.capacity !== undefined) status.capacity = null;
  } else {
    if (!semanticEqual(current.accessModes, volume.spec.accessModes)) status.accessModes = volume.spec.accessModes ?? null;
    if (current.phase !== phase && !semanticEqual(current.capacity?.storage, volume.spec.capacity?.storage)) status.capacity = volume.spec.capacity ?? null;
  }
  if (Object.keys(status).length === 0) return undefined;
  return { metadata: { resourceVersion: claim.metadata.resourceVersion }, status };
}

/** updateVolumePhase, with lastPhaseTransitionTime; undefined when the phase is already set. */
export function volumePhasePatch(volume: PersistentVolume, phase: VolumePhase, now: string, message?: string): Patch | undefined {
  if (volume.status.phase === phase) return undefined;
  return { metadata: { resourceVersion: volume.metadata.resourceVersion }, status: { phase, message: message ?? null, lastPhaseTransitionTime: now } };
}

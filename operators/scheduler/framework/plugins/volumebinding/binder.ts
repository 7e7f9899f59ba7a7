// The decisions of upstream's volume binder (plugins/volumebinding/binder.go)
// for one pod: which of its claims are bound, wait for their first consumer,
// or should have been bound already (GetPodVolumeClaims), and whether a node
// can serve them (FindPodVolumes). Pure over the listers.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from "../../../../api/index.ts";
import { claimClass, classAllowsNode, isClaimFullyBound, isDelayBinding, requestedStorage, selectedNode, volumeFitsNode } from "../../../../storage/helpers.ts";
import { findMatchingVolume } from "../../../../storage/matching.ts";
import { NOT_SUPPORTED_PROVISIONER } from "../../../../storage/names.ts";
import type { PodLike } from "../../objects.ts";
import type { NodeFacts } from "../../selectors.ts";

/** What the binder reads: the storage caches, with the scheduler's own decisions assumed. */
export interface VolumeListers {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
  volumes(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

// ConflictReasons, upstream's texts.
export const ErrReasonBindConflict = "node(s) didn't find available persistent volumes to bind";
export const ErrReasonNodeConflict = "node(s) had volume node affinity conflict";
export const ErrReasonPVNotExist = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
export const ErrReasonUnboundImmediate = "pod has unbound immediate PersistentVolumeClaims";

/** The claim names of a pod's persistentVolumeClaim volumes, in order. */
export function podClaimNames(pod: PodLike): string[] {
  const volumes = (pod.spec as { volumes?: readonly { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? [];
  return volumes.flatMap((v) => (v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : []));
}

export interface PodVolumeClaims {
  bound: PersistentVolumeClaim[];
  /** WaitForFirstConsumer claims without a volume: the scheduler binds or provisions them. */
  delayBinding: PersistentVolumeClaim[];
  /** Not bound though they should be (Immediate, or naming a volume): the pod waits for the binder. */
  unboundImmediate: PersistentVolumeClaim[];
}

export type ClaimsResult = { ok: true; claims: PodVolumeClaims } | { ok: false; message: string };

/** podHasPVCs and GetPodVolumeClaims; the messages are upstream's. */
export function podVolumeClaims(pod: PodLike, listers: VolumeListers): ClaimsResult {
  const namespace = pod.metadata?.namespace ?? "";
  const claims: PodVolumeClaims = { bound: [], delayBinding: [], unboundImmediate: [] };
  for (const name of podClaimNames(pod)) {
    const claim = listers.claim(namespace, name);
    if (!claim) return { ok: false, message: `persistentvolumeclaim "${name}" not found` };
    if (claim.status.phase === "Lost") return { ok: false, message: `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${claim.spec.volumeName ?? ""}"` };
    if (claim.metadata.deletionTimestamp) return { ok: false, message: `persistentvolumeclaim "${name}" is being deleted` };
    if (isClaimFullyBound(claim)) claims.bound.push(claim);
    else if (isDelayBinding(claim, (n) => listers.storageClass(n)) && !claim.spec.volumeName) claims.delayBinding.push(claim);
    else claims.unboundImmediate.push(claim);
  }
  return { ok: true, claims };
}

export interface PodVolumes {
  /** PVs to pre-bind to the claims (claimRef), for the binder to finish. */
  staticBindings: { claim: PersistentVolumeClaim; volume: PersistentVolume }[];
  /** Claims to provision on the node (the selected-node annotation). */
  dynamicProvisions: PersistentVolumeClaim[];
}

export type FindResult = { ok: true; reasons: string[]; podVolumes: PodVolumes } | { ok: false; error: string };

/**
 * FindPodVolumes: bound claims' PVs must admit the node; unbound
 * WaitForFirstConsumer claims need a free PV there (smallest claims first,
 * each PV used once) or a class that can provision there.
 */
export function findPodVolumes(claims: PodVolumeClaims, node: NodeFacts, listers: VolumeListers): FindResult {
  const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
  const reasons: string[] = [];
  let boundSatisfied = true;
  let boundFound = true;
  let unboundSatisfied = true;
  const done = (): FindResult => {
    if (!boundSatisfied) reasons.push(ErrReasonNodeConflict);
    if (!unboundSatisfied) reasons.push(ErrReasonBindConflict);
    if (!boundFound) reasons.push(ErrReasonPVNotExist);
    return { ok: true, reasons, podVolumes };
  };

  for (const claim of claims.bound) {
    const volume = listers.volume(claim.spec.volumeName ?? "");
    if (!volume) {
      boundFound = false;
      break;
    }
    if (!volumeFitsNode(volume, node)) {
      boundSatisfied = false;
      break;
    }
  }
  if (!boundSatisfied || !boundFound) return done();

  const toProvision: PersistentVolumeClaim[] = [];
  const toMatch: PersistentVolumeClaim[] = [];
  for (const claim of claims.delayBinding) {
    const selected = selectedNode(claim);
    if (selected === undefined) toMatch.push(claim);
    else if (selected === node.name) toProvision.push(claim);
    else {
      // Being provisioned for another node.
      unboundSatisfied = false;
      return done();
    }
  }

  if (toMatch.length > 0) {
    const chosen = new Set<string>();
    const bySize = [...toMatch].sort((a, b) => requestedStorage(a).cmp(requestedStorage(b)));
    for (const claim of bySize) {
      const className = claimClass(claim);
      const candidates = listers.volumes().filter((v) => (v.spec.storageClassName ?? "") === className);
      const volume = findMatchingVolume(claim, candidates, { node, excluded: chosen, delayBinding: true });
      if (!volume) {
        toProvision.push(claim);
        continue;
      }
      chosen.add(volume.metadata.name ?? "");
      podVolumes.staticBindings.push({ claim, volume });
    }
  }

  // checkVolumeProvisions.
  for (const claim of toProvision) {
    const className = claimClass(claim);
    if (className === "") return { ok: false, error: `no class for claim "${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}"` };
    const cls = listers.storageClass(className);
    if (!cls) return { ok: false, error: `failed to find storage class "${className}"` };
    if (!cls.provisioner || cls.provisioner === NOT_SUPPORTED_PROVISIONER || !classAllowsNode(cls, node)) {
      unboundSatisfied = false;
      return done();
    }
    podVolumes.dynamicProvisions.push(claim);
  }
  return done();
}

// The claims a StatefulSet stamps from its volumeClaimTemplates, and who
// owns them under persistentVolumeClaimRetentionPolicy (upstream
// stateful_set_utils.go getPersistentVolumeClaims, isClaimOwnerUpToDate,
// updateClaimOwnerRefForSetAndPod, hasStaleOwnerRef, and
// stateful_pod_control.go PodClaimIsStale). Owner references do the
// deleting: the garbage collector removes a claim whose owners are gone.
//   Retain/Retain:  no reference
//   whenDeleted=Delete: a controller reference to the StatefulSet
//   whenScaled=Delete:  a controller reference to the Pod, for a scaled-down ordinal only
// Pure.
import { kinds } from "../../api/index.ts";
import type { PersistentVolumeClaimSpec, StatefulSet } from "../../api/index.ts";
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";
import { newControllerRef } from "../common/index.ts";
import type { OwnerKind } from "../common/index.ts";
import { POD_KIND, STATEFUL_SET_KIND } from "./names.ts";
import { claimName } from "./stateful-set-utils.ts";

/** A claim as the controller reads it from the cache: its metadata is all that matters here. */
export type ClaimObject = KubeObject;

/** A mirror PersistentVolumeClaim as the controller creates it. */
export interface NewClaim extends KubeObject {
  apiVersion: string;
  kind: "PersistentVolumeClaim";
  spec: PersistentVolumeClaimSpec;
}

/** An owner as a claim's references name it: a pod not created yet has no uid. */
export interface ClaimOwner {
  name: string;
  uid?: string;
}

/**
 * The claims of one ordinal, keyed by template name (upstream
 * getPersistentVolumeClaims): the template's metadata and spec, the name
 * `<template>-<set>-<ordinal>`, and the selector's matchLabels over the
 * template's labels, so the claims are found by the set's selector.
 */
export function newClaims(set: StatefulSet, ordinal: number): Map<string, NewClaim> {
  const claims = new Map<string, NewClaim>();
  for (const template of set.spec.volumeClaimTemplates ?? []) {
    const templateName = template.metadata?.name ?? "";
    const { name: _name, namespace: _namespace, ...meta } = structuredClone(template.metadata ?? {});
    const labels = { ...meta.labels, ...set.spec.selector.matchLabels };
    claims.set(templateName, {
      apiVersion: kinds.PersistentVolumeClaim.apiVersion,
      kind: "PersistentVolumeClaim",
      metadata: { ...meta, name: claimName(set, templateName, ordinal), namespace: set.metadata.namespace, ...(Object.keys(labels).length > 0 && { labels }) },
      spec: structuredClone(template.spec),
    });
  }
  return claims;
}

function refs(claim: ClaimObject): OwnerReference[] {
  return claim.metadata?.ownerReferences ?? [];
}

/** The reference names this object by kind and name (upstream matchesRef), whatever its uid. */
function matchesRef(ref: OwnerReference, name: string, kind: OwnerKind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === name;
}

function hasOwnerRef(claim: ClaimObject, uid: string | undefined): boolean {
  return !!uid && refs(claim).some((r) => r.uid === uid);
}

/** A reference to this object's kind and name with another uid: a previous incarnation owns the claim. */
export function hasStaleOwnerRef(claim: ClaimObject, owner: ClaimOwner, kind: OwnerKind): boolean {
  const ref = refs(claim).find((r) => matchesRef(r, owner.name, kind));
  return ref !== undefined && ref.uid !== (owner.uid ?? "");
}

function setOwner(set: StatefulSet): ClaimOwner {
  return { name: set.metadata.name ?? "", uid: set.metadata.uid };
}

function retainsAll(set: StatefulSet): boolean {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy;
  return policy.whenDeleted === "Retain" && policy.whenScaled === "Retain";
}

/**
 * Upstream hasUnexpectedController: under a Delete policy, a controller
 * other than the set and the pod (or a stale one of theirs) manages the
 * claim, and the policy is not applied to it.
 */
export function hasUnexpectedController(claim: ClaimObject, set: StatefulSet, pod: ClaimOwner): boolean {
  if (retainsAll(set)) return false;
  const us = setOwner(set);
  for (const ref of refs(claim)) {
    if (matchesRef(ref, us.name, STATEFUL_SET_KIND)) {
      if (ref.uid !== us.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod.name, POD_KIND)) {
      if (ref.uid !== (pod.uid ?? "")) return true;
      continue;
    }
    if (ref.controller) return true;
  }
  return false;
}

function hasNonControllerOwner(claim: ClaimObject, set: StatefulSet, pod: ClaimOwner): boolean {
  return refs(claim).some((r) => (r.uid === set.metadata.uid || (!!pod.uid && r.uid === pod.uid)) && !r.controller);
}

/**
 * Upstream isClaimOwnerUpToDate: the claim's references agree with the
 * policy for a pod in range (`scaledDown` false) or scaled down. A claim
 * owned by a previous incarnation, or by another controller, is left as it is.
 */
export function isClaimOwnerUpToDate(claim: ClaimObject, set: StatefulSet, pod: ClaimOwner, scaledDown: boolean): boolean {
  if (hasStaleOwnerRef(claim, setOwner(set), STATEFUL_SET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  const bySet = hasOwnerRef(claim, set.metadata.uid);
  const byPod = hasOwnerRef(claim, pod.uid);
  if (hasUnexpectedController(claim, set, pod)) return !(bySet || byPod);
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const { whenDeleted, whenScaled } = set.spec.persistentVolumeClaimRetentionPolicy;
  const wantSet = whenDeleted === "Delete" && !(whenScaled === "Delete" && scaledDown);
  const wantPod = whenScaled === "Delete" && scaledDown;
  return bySet === wantSet && byPod === wantPod;
}

/**
 * Upstream updateClaimOwnerRefForSetAndPod: the claim's references with
 * ours scrubbed and the ones the policy wants added back as controller
 * references (none when another controller manages the claim).
 */
export function claimOwnerRefsFor(claim: ClaimObject, set: StatefulSet, pod: ClaimOwner, scaledDown: boolean): OwnerReference[] {
  const unexpected = hasUnexpectedController(claim, set, pod);
  const us = setOwner(set);
  const kept = refs(claim).filter((r) => !matchesRef(r, us.name, STATEFUL_SET_KIND) && !matchesRef(r, pod.name, POD_KIND));
  if (unexpected) return kept;
  const { whenDeleted, whenScaled } = set.spec.persistentVolumeClaimRetentionPolicy;
  const out = [...kept];
  if (whenScaled === "Delete" && scaledDown && pod.uid) out.push(newControllerRef({ metadata: pod }, POD_KIND));
  if (whenDeleted === "Delete" && !(whenScaled === "Delete" && scaledDown)) out.push(newControllerRef(set, STATEFUL_SET_KIND));
  return out;
}

/**
 * Upstream PodClaimIsStale: under whenScaled=Delete, a claim of the pod
 * about to be created still belongs to the pod's previous incarnation (the
 * garbage collector is about to delete it): wait for it to go rather than
 * mount it.
 */
export function podClaimIsStale(set: StatefulSet, podName: string, claims: Iterable<ClaimObject | undefined>): boolean {
  if (set.spec.persistentVolumeClaimRetentionPolicy.whenScaled === "Retain") return false;
  for (const claim of claims) if (claim && hasStaleOwnerRef(claim, { name: podName }, POD_KIND)) return true;
  return false;
}

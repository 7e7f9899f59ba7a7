// Controller references (upstream metav1.GetControllerOf, metav1.NewControllerRef):
// the one owner reference with controller: true says who manages an object.
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";

/** The kind a controller reference names: apiVersion (group/version) and kind. */
export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

/** The fields of an owner a controller reference and the claim need. */
export interface OwnerObject {
  metadata?: { name?: string; namespace?: string; uid?: string; deletionTimestamp?: string | null };
}

/** The controller reference of `obj`, if it has one. */
export function getControllerOf(obj: KubeObject | { metadata?: { ownerReferences?: readonly OwnerReference[] } }): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** Whether `obj`'s controller reference points at the owner with this UID. */
export function isControlledBy(obj: KubeObject | { metadata?: { ownerReferences?: readonly OwnerReference[] } }, ownerUid: string): boolean {
  return getControllerOf(obj)?.uid === ownerUid;
}

/**
 * A controller reference to `owner`. blockOwnerDeletion is set, as upstream
 * sets it, so a foreground deletion of the owner waits for its dependents.
 */
export function newControllerRef(owner: OwnerObject, kind: OwnerKind): OwnerReference {
  const name = owner.metadata?.name;
  const uid = owner.metadata?.uid;
  if (!name || !uid) throw new Error(`a controller reference needs the owner's name and uid (got ${name ?? "<none>"}/${uid ?? "<none>"})`);
  return { apiVersion: kind.apiVersion, kind: kind.kind, name, uid, controller: true, blockOwnerDeletion: true };
}

/** The API group of an apiVersion: "apps.mirrorkube.dev" of "apps.mirrorkube.dev/v1alpha1", "" of "v1". */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

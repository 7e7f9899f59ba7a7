// Index functions: an object's values under an index. The store keeps, for
// each index and value, the keys of the objects that have that value.
import type { KubeObject } from "../client/types.ts";

export type IndexFunc<T> = (obj: T) => readonly string[];

export const NAMESPACE_INDEX = "namespace";
export const CONTROLLER_OWNER_INDEX = "controllerOwnerUID";

export const namespaceIndex: IndexFunc<KubeObject> = (obj) => {
  const ns = obj.metadata?.namespace;
  return ns ? [ns] : [];
};

/** The UID of the controller owner (ownerReferences[].controller: true), which has at most one. */
export const controllerOwnerIndex: IndexFunc<KubeObject> = (obj) => {
  const owner = obj.metadata?.ownerReferences?.find((ref) => ref.controller === true);
  return owner ? [owner.uid] : [];
};

/** "namespace/name", or "name" for a cluster-scoped object: client-go's MetaNamespaceKeyFunc. */
export function objectKey(obj: KubeObject): string {
  const name = obj.metadata?.name ?? "";
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

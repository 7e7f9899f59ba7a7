// The resources the storage controllers read and write.
import { kindRef, kinds, type Pod } from "../api/index.ts";
import type { KindRef } from "../runtime/controller/builder.ts";
import type { KubeObject } from "../runtime/client/index.ts";

export const persistentVolumes: KindRef = kindRef(kinds.PersistentVolume);
export const persistentVolumeClaims: KindRef = kindRef(kinds.PersistentVolumeClaim);
export const storageClasses: KindRef = kindRef(kinds.StorageClass);
export const mirrorPods: KindRef = kindRef(kinds.Pod);
export const realPods: KindRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };
export const nodes: KindRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };

/** A v1 Node as the provisioner reads it. */
export interface NodeObject extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** A v1 Pod as the provisioner's cleanup writes and reads it. */
export interface RealPodObject extends KubeObject {
  spec?: Record<string, unknown>;
  status?: { phase?: string; message?: string; reason?: string };
}

/** Objects as the informers hold them (unparsed). */
export type RawObject = KubeObject & { spec?: unknown; status?: unknown };

/** The claims a Pod's volumes name, as "namespace/name" keys. */
export function podClaimKeys(pod: RawObject): string[] {
  const spec = pod.spec as Partial<Pod["spec"]> | undefined;
  const namespace = pod.metadata?.namespace ?? "";
  const keys = new Set<string>();
  for (const v of spec?.volumes ?? []) if (v.persistentVolumeClaim?.claimName) keys.add(`${namespace}/${v.persistentVolumeClaim.claimName}`);
  return [...keys];
}

/** The index of mirror Pods by the claims they use (the binder, pvc-protection and the realizer share it). */
export const PODS_BY_CLAIM_INDEX = "storage:claims";

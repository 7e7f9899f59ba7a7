import { DeploymentKind } from "./deployment.ts";
import type { KindInfo } from "./kind.ts";
import { PersistentVolumeClaimKind } from "./persistent-volume-claim.ts";
import { PersistentVolumeKind } from "./persistent-volume.ts";
import { PodKind } from "./pod.ts";
import { ReplicaSetKind } from "./replica-set.ts";
import { ResourceQuotaKind } from "./resource-quota.ts";
import { ServiceKind } from "./service.ts";
import { StatefulSetKind } from "./stateful-set.ts";
import { StorageClassKind } from "./storage-class.ts";

/** Every mirrorkube kind, by kind name. */
export const kinds = {
  Pod: PodKind,
  Service: ServiceKind,
  PersistentVolume: PersistentVolumeKind,
  PersistentVolumeClaim: PersistentVolumeClaimKind,
  ResourceQuota: ResourceQuotaKind,
  StorageClass: StorageClassKind,
  ReplicaSet: ReplicaSetKind,
  Deployment: DeploymentKind,
  StatefulSet: StatefulSetKind,
} as const;

export type KindName = keyof typeof kinds;

export const allKinds: readonly KindInfo[] = Object.values(kinds);

/** The kind an apiVersion + kind pair names, if it is a mirrorkube kind. */
export function lookupKind(apiVersion: string, kind: string): KindInfo | undefined {
  return allKinds.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}

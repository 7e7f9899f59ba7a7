// Test support: parsed mirror StatefulSets and their pods from a few knobs,
// for the unit tests of the StatefulSet controller.
import { kinds, mustParse } from "../../api/index.ts";
import type { Pod, StatefulSet } from "../../api/index.ts";
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";
import { makePod } from "../common/testing.ts";
import type { PodKnobs } from "../common/testing.ts";
import { POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL } from "./names.ts";

export interface SetKnobs {
  name?: string;
  uid?: string;
  replicas?: number;
  image?: string;
  podManagementPolicy?: "OrderedReady" | "Parallel";
  updateStrategy?: Record<string, unknown>;
  minReadySeconds?: number;
  start?: number;
  serviceName?: string;
  claimTemplates?: string[];
  retention?: { whenDeleted?: "Retain" | "Delete"; whenScaled?: "Retain" | "Delete" };
  revisionHistoryLimit?: number;
  generation?: number;
  deleting?: boolean;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
}

/** The StatefulSet as the API server would serve it (unparsed). */
export function setObject(k: SetKnobs = {}): KubeObject & { spec: Record<string, unknown> } {
  return {
    apiVersion: kinds.StatefulSet.apiVersion,
    kind: "StatefulSet",
    metadata: {
      name: k.name ?? "web",
      namespace: "ns",
      uid: k.uid ?? "set-uid",
      resourceVersion: "10",
      generation: k.generation ?? 1,
      ...(k.annotations && { annotations: k.annotations }),
      ...(k.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }),
    },
    spec: {
      replicas: k.replicas ?? 3,
      selector: { matchLabels: { app: "web" } },
      ...(k.serviceName !== undefined && { serviceName: k.serviceName }),
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: k.image ?? "registry.invalid/app:1" }] } },
      ...(k.podManagementPolicy && { podManagementPolicy: k.podManagementPolicy }),
      ...(k.updateStrategy && { updateStrategy: k.updateStrategy }),
      ...(k.minReadySeconds !== undefined && { minReadySeconds: k.minReadySeconds }),
      ...(k.start !== undefined && { ordinals: { start: k.start } }),
      ...(k.revisionHistoryLimit !== undefined && { revisionHistoryLimit: k.revisionHistoryLimit }),
      ...(k.retention && { persistentVolumeClaimRetentionPolicy: k.retention }),
      ...(k.claimTemplates && {
        volumeClaimTemplates: k.claimTemplates.map((name) => ({
          metadata: { name, labels: { tier: "data" } },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        })),
      }),
    },
    ...(k.status && { status: k.status }),
  };
}

export function makeSet(k: SetKnobs = {}): StatefulSet {
  return mustParse(kinds.StatefulSet, setObject(k));
}

export function setRef(uid = "set-uid", name = "web"): OwnerReference {
  return { apiVersion: kinds.StatefulSet.apiVersion, kind: "StatefulSet", name, uid, controller: true, blockOwnerDeletion: true };
}

export interface MemberKnobs extends Omit<PodKnobs, "name" | "labels" | "owner"> {
  revision?: string;
  /** Claim volumes, by template name (mounting `<template>-web-<ordinal>`). */
  claims?: string[];
  labels?: Record<string, string>;
}

/** A pod of the default set at `ordinal`, Running and Ready by default, at revision "web-rev1". */
export function member(ordinal: number, k: MemberKnobs = {}): Pod {
  const name = `web-${ordinal}`;
  const { revision = "web-rev1", claims, labels, ...rest } = k;
  const pod = makePod({
    uid: `pod-${ordinal}-${revision}`,
    phase: "Running",
    readySince: 600,
    ...rest,
    name,
    owner: setRef(),
    labels: labels ?? { app: "web", [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_LABEL]: revision },
  });
  if (!claims) return pod;
  return { ...pod, spec: { ...pod.spec, volumes: claims.map((t) => ({ name: t, persistentVolumeClaim: { claimName: `${t}-web-${ordinal}` } })) } };
}

/** A cached claim of the default set, with owner references. */
export function claimObject(name: string, ownerReferences?: OwnerReference[], deleting = false): KubeObject {
  return {
    apiVersion: kinds.PersistentVolumeClaim.apiVersion,
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace: "ns", uid: `claim-${name}`, resourceVersion: "3", ...(ownerReferences && { ownerReferences }), ...(deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }) },
  };
}

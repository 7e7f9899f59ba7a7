// Test support: parsed PVs, PVCs and StorageClasses in the states the storage
// controllers and the VolumeBinding plugin meet.
import { kinds, mustParse, type AccessMode, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from "../api/index.ts";

type Json = Record<string, unknown>;

export interface VolumeOptions {
  modes?: AccessMode[];
  className?: string;
  phase?: PersistentVolume["status"]["phase"];
  claimRef?: { namespace: string; name: string; uid?: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  reclaim?: "Retain" | "Delete" | "Recycle";
  volumeMode?: "Filesystem" | "Block";
  /** Required node affinity to this node's hostname. */
  node?: string;
  deleting?: boolean;
  spec?: Json;
  resourceVersion?: string;
}

export function pv(name: string, size: string, o: VolumeOptions = {}): PersistentVolume {
  return mustParse(kinds.PersistentVolume, {
    metadata: {
      name,
      uid: `uid-${name}`,
      resourceVersion: o.resourceVersion ?? "1",
      labels: o.labels,
      annotations: o.annotations,
      ...(o.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }),
    },
    spec: {
      capacity: { storage: size },
      accessModes: o.modes ?? ["ReadWriteOnce"],
      storageClassName: o.className,
      claimRef: o.claimRef,
      persistentVolumeReclaimPolicy: o.reclaim,
      volumeMode: o.volumeMode,
      hostPath: { path: `/mnt/${name}` },
      ...(o.node && { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [o.node] }] }] } } }),
      ...o.spec,
    },
    status: { phase: o.phase ?? "Available" },
  });
}

export interface ClaimOptions {
  namespace?: string;
  modes?: AccessMode[];
  className?: string;
  volumeName?: string;
  selector?: Json;
  annotations?: Record<string, string>;
  phase?: PersistentVolumeClaim["status"]["phase"];
  volumeMode?: "Filesystem" | "Block";
  deleting?: boolean;
  uid?: string;
  resourceVersion?: string;
  status?: Json;
}

export function pvc(name: string, size: string, o: ClaimOptions = {}): PersistentVolumeClaim {
  return mustParse(kinds.PersistentVolumeClaim, {
    metadata: {
      name,
      namespace: o.namespace ?? "ns",
      uid: o.uid ?? `uid-${name}`,
      resourceVersion: o.resourceVersion ?? "1",
      annotations: o.annotations,
      ...(o.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }),
    },
    spec: {
      accessModes: o.modes ?? ["ReadWriteOnce"],
      resources: { requests: { storage: size } },
      storageClassName: o.className,
      volumeName: o.volumeName,
      selector: o.selector,
      volumeMode: o.volumeMode,
    },
    status: { phase: o.phase ?? "Pending", ...o.status },
  });
}

export function storageClass(name: string, o: { mode?: "Immediate" | "WaitForFirstConsumer"; provisioner?: string; reclaim?: "Delete" | "Retain"; isDefault?: boolean; created?: string; allowedTopologies?: Json[] } = {}): StorageClass {
  return mustParse(kinds.StorageClass, {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: o.created ?? "2024-05-01T00:00:00Z",
      ...(o.isDefault && { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
    },
    provisioner: o.provisioner ?? "mirrorkube.dev/hostpath",
    reclaimPolicy: o.reclaim,
    volumeBindingMode: o.mode,
    allowedTopologies: o.allowedTopologies,
  });
}

/** The PV bound to `claim` as the binder leaves it: claimRef with UID, phase Bound. */
export function boundTo(volume: PersistentVolume, claim: PersistentVolumeClaim): PersistentVolume {
  return {
    ...volume,
    spec: { ...volume.spec, claimRef: { kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid } },
    status: { ...volume.status, phase: "Bound" },
  };
}

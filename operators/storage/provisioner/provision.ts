// The mirrorkube.dev/hostpath provisioner's decisions (as an external
// provisioner built on sig-storage-lib-external-provisioner decides): which
// claims it provisions, on which node, and the PV it creates. Pure.
import { kinds, HOSTPATH_PROVISIONER, type PersistentVolumeClaim, type PersistentVolumeInput, type StorageClass } from "../../api/index.ts";
import { classAllowsNode, claimClass, selectedNode, type NodeFacts } from "../helpers.ts";
import { ANN_BETA_STORAGE_PROVISIONER, ANN_PROVISIONED_BY, ANN_STORAGE_PROVISIONER, PV_PROTECTION_FINALIZER } from "../names.ts";
import { claimRefOf } from "../persistentvolume/actions.ts";
import { ANN_HOSTPATH_NODE } from "./names.ts";

export const HOSTNAME_LABEL = "kubernetes.io/hostname";

/** The PV a provisioner creates for a claim: upstream's pvc-<claim UID>. */
export function provisionedVolumeName(claim: PersistentVolumeClaim): string {
  return `pvc-${claim.metadata.uid ?? ""}`;
}

/**
 * shouldProvision: an unbound claim the binder handed to this provisioner,
 * of a class that names it; a WaitForFirstConsumer claim only once the
 * scheduler has chosen a node. Returns the class, or undefined.
 */
export function classToProvision(claim: PersistentVolumeClaim, classOf: (name: string) => StorageClass | undefined): StorageClass | undefined {
  if (claim.spec.volumeName || claim.metadata.deletionTimestamp) return undefined;
  const asked = claim.metadata.annotations?.[ANN_STORAGE_PROVISIONER] ?? claim.metadata.annotations?.[ANN_BETA_STORAGE_PROVISIONER];
  if (asked !== HOSTPATH_PROVISIONER) return undefined;
  const cls = classOf(claimClass(claim));
  if (cls?.provisioner !== HOSTPATH_PROVISIONER) return undefined;
  if (cls.volumeBindingMode === "WaitForFirstConsumer" && !selectedNode(claim)) return undefined;
  return cls;
}

export interface NodeState extends NodeFacts {
  ready: boolean;
  unschedulable: boolean;
  /** Has a NoSchedule or NoExecute taint. */
  tainted: boolean;
  /** Volumes of this provisioner already on it. */
  volumes: number;
}

/**
 * The node of an Immediate claim (no pod to follow yet): a Ready,
 * schedulable node the class's allowedTopologies admit, untainted ones
 * first (most pods tolerate no taint), then the one holding the fewest
 * hostpath volumes (spreading them), then by name (deterministic).
 */
export function chooseNode(nodes: readonly NodeState[], cls: StorageClass): NodeState | undefined {
  const candidates = nodes.filter((n) => n.ready && !n.unschedulable && classAllowsNode(cls, n));
  const untainted = candidates.filter((n) => !n.tainted);
  const pool = untainted.length > 0 ? untainted : candidates;
  return [...pool].sort((a, b) => a.volumes - b.volumes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))[0];
}

/** The PV for `claim` on `node`: a hostPath under `root`, node affinity to that node, the class's policy. */
export function provisionedVolume(claim: PersistentVolumeClaim, cls: StorageClass, node: NodeFacts, root: string): PersistentVolumeInput {
  const name = provisionedVolumeName(claim);
  return {
    apiVersion: kinds.PersistentVolume.apiVersion as PersistentVolumeInput["apiVersion"],
    kind: "PersistentVolume",
    metadata: {
      name,
      annotations: { [ANN_PROVISIONED_BY]: HOSTPATH_PROVISIONER, [ANN_HOSTPATH_NODE]: node.name },
      // What the StorageObjectInUseProtection admission plugin adds to every PV upstream.
      finalizers: [PV_PROTECTION_FINALIZER],
    },
    spec: {
      capacity: { storage: claim.spec.resources.requests?.storage ?? "0" },
      accessModes: claim.spec.accessModes,
      claimRef: claimRefOf(claim),
      persistentVolumeReclaimPolicy: cls.reclaimPolicy,
      storageClassName: cls.metadata.name,
      volumeMode: claim.spec.volumeMode,
      ...(cls.mountOptions && { mountOptions: cls.mountOptions }),
      hostPath: { path: `${root.replace(/\/+$/, "")}/${name}`, type: "DirectoryOrCreate" },
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [node.labels[HOSTNAME_LABEL] ?? node.name] }] }] },
      },
    },
  };
}

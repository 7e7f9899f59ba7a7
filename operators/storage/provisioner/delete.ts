// Deleting a Released volume of the Delete policy, as the provisioner's
// Delete does: the directory goes first, then the PV. On a real node a
// short-lived Pod pinned there removes the directory; a kwok node has no
// filesystem, so the provisioner says what it would remove and removes the
// PV. Pure.
import { HOSTPATH_PROVISIONER, kinds, type PersistentVolume } from "../../api/index.ts";
import { ANN_PROVISIONED_BY } from "../names.ts";
import type { NodeObject, RealPodObject } from "../resources.ts";
import { ANN_HOSTPATH_NODE, CLEANUP_POD_LABEL, KWOK_NODE_ANNOTATION } from "./names.ts";

export interface CleanupOptions {
  /** Where cleanup Pods run (the manager's namespace). */
  namespace: string;
  image: string;
}

export type DeletePlan =
  /** Not ours to delete (yet). */
  | { kind: "none" }
  /** No filesystem to clean (kwok) or no node any more: say so, and delete the PV. */
  | { kind: "skipData"; message: string }
  | { kind: "createCleanupPod"; pod: RealPodObject }
  /** The cleanup Pod runs. */
  | { kind: "wait" }
  /** The directory is gone: delete the PV (its cleanup Pod goes with it, by owner reference). */
  | { kind: "deleteVolume" }
  /** The cleanup Pod failed: VolumeFailedDelete, and it is deleted so that the next attempt starts afresh. */
  | { kind: "cleanupFailed"; message: string };

/** A Released volume this provisioner made, with the Delete policy. */
export function shouldDelete(volume: PersistentVolume): boolean {
  return (
    volume.metadata.annotations?.[ANN_PROVISIONED_BY] === HOSTPATH_PROVISIONER &&
    volume.spec.persistentVolumeReclaimPolicy === "Delete" &&
    volume.status.phase === "Released"
  );
}

/** kwok's Nodes: the annotation it manages them by, or the label the local control plane gives them. */
export function isSimulatedNode(node: NodeObject): boolean {
  return node.metadata?.annotations?.[KWOK_NODE_ANNOTATION] !== undefined || node.metadata?.labels?.type === "kwok";
}

export function cleanupPodName(volume: PersistentVolume): string {
  return `hostpath-cleanup-${volume.metadata.name ?? ""}`;
}

export function planDelete(volume: PersistentVolume, node: NodeObject | undefined, pod: RealPodObject | undefined, options: CleanupOptions): DeletePlan {
  if (!shouldDelete(volume)) return { kind: "none" };
  const path = volume.spec.hostPath?.path ?? "";
  const nodeName = volume.metadata.annotations?.[ANN_HOSTPATH_NODE] ?? "";
  if (!node) return { kind: "skipData", message: `Node ${nodeName} no longer exists: ${path} cannot be removed there` };
  if (isSimulatedNode(node)) return { kind: "skipData", message: `Would remove ${path} on node ${nodeName}: a kwok node has no filesystem` };
  if (!pod) {
    // Never rm -rf anything but a directory this provisioner named.
    if (!/\/pvc-[^/]+$/.test(path)) return { kind: "cleanupFailed", message: `refusing to remove ${path}: not a directory this provisioner created` };
    return { kind: "createCleanupPod", pod: cleanupPod(volume, nodeName, options) };
  }
  switch (pod.status?.phase) {
    case "Succeeded":
      return { kind: "deleteVolume" };
    case "Failed":
      return { kind: "cleanupFailed", message: `the Pod ${options.namespace}/${pod.metadata?.name ?? ""} removing ${path} on node ${nodeName} failed: ${pod.status.message ?? pod.status.reason ?? "no reason given"}` };
    default:
      return { kind: "wait" };
  }
}

/**
 * The Pod that removes the volume's directory on its node: pinned there (no
 * scheduler), tolerating every taint, mounting the parent directory, owned by
 * the PV so that garbage collection removes it with the PV.
 */
export function cleanupPod(volume: PersistentVolume, nodeName: string, options: CleanupOptions): RealPodObject {
  const path = volume.spec.hostPath?.path ?? "";
  const slash = path.lastIndexOf("/");
  const parent = slash > 0 ? path.slice(0, slash) : "/";
  const dir = path.slice(slash + 1);
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: cleanupPodName(volume),
      namespace: options.namespace,
      labels: { [CLEANUP_POD_LABEL]: volume.metadata.name ?? "" },
      ownerReferences: [{ apiVersion: kinds.PersistentVolume.apiVersion, kind: kinds.PersistentVolume.kind, name: volume.metadata.name ?? "", uid: volume.metadata.uid ?? "" }],
    },
    spec: {
      nodeName,
      restartPolicy: "Never",
      tolerations: [{ operator: "Exists" }],
      containers: [
        {
          name: "remove",
          image: options.image,
          command: ["rm", "-rf", "--", `/parent/${dir}`],
          volumeMounts: [{ name: "parent", mountPath: "/parent" }],
        },
      ],
      volumes: [{ name: "parent", hostPath: { path: parent, type: "DirectoryOrCreate" } }],
    },
  };
}

// The names the StatefulSet controller reads and writes: upstream's labels
// (k8s.io/api/apps/v1 types.go, k8s.io/kubernetes/pkg/controller/history),
// event reasons (stateful_pod_control.go), and the resources it works on.
import { kindRef, kinds } from "../../api/index.ts";
import type { KindRef } from "../../runtime/controller/builder.ts";
import type { OwnerKind } from "../common/index.ts";

/** The controller's name, as `--controllers` selects it and as upstream's event source reads. */
export const STATEFUL_SET_CONTROLLER = "statefulset-controller";

/** On a Pod: its own name (apps.StatefulSetPodNameLabel), what a headless Service per pod selects. */
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
/** On a Pod: its ordinal (apps.PodIndexLabel). */
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
/** On a Pod: the name of the ControllerRevision it was made from (apps.StatefulSetRevisionLabel). */
export const REVISION_LABEL = "controller-revision-hash";
/** On a ControllerRevision: the hash in its name (history.ControllerRevisionHashLabel). */
export const REVISION_HASH_LABEL = "controller.kubernetes.io/hash";

export const STATEFUL_SET_KIND: OwnerKind = { apiVersion: kinds.StatefulSet.apiVersion, kind: kinds.StatefulSet.kind };
export const POD_KIND: OwnerKind = { apiVersion: kinds.Pod.apiVersion, kind: kinds.Pod.kind };

export const statefulSets: KindRef = kindRef(kinds.StatefulSet);
export const mirrorPods: KindRef = kindRef(kinds.Pod);
export const mirrorClaims: KindRef = kindRef(kinds.PersistentVolumeClaim);
/** Real apps/v1 ControllerRevisions: the history of a mirror StatefulSet is kept as upstream keeps it. */
export const controllerRevisions: KindRef = { group: "apps", version: "v1", plural: "controllerrevisions", namespaced: true, kind: "ControllerRevision" };

// Upstream's event reasons: for pods, recordPodEvent builds them from the verb
// (SuccessfulCreate, FailedDelete, ...); for claims, which are only created, these.
export const Reasons = {
  SuccessfulCreate: "SuccessfulCreate",
  FailedCreate: "FailedCreate",
  ConflictingController: "ConflictingController",
} as const;

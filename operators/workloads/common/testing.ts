// Test support: parsed mirror Pods and ReplicaSets built from a few knobs,
// for the unit tests of the workload controllers.
import { kinds, mustParse } from "../../api/index.ts";
import type { Pod, ReplicaSet } from "../../api/index.ts";
import type { OwnerReference } from "../../runtime/client/index.ts";
import { POD_DELETION_COST_ANNOTATION } from "./deletion-cost.ts";

/** A fixed "now" for tests: 2024-05-01T12:00:00Z. */
export const NOW = new Date("2024-05-01T12:00:00Z");

/** An RFC 3339 time `seconds` before NOW. */
export function ago(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export interface PodKnobs {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  phase?: Pod["status"]["phase"];
  /** Ready=True since this many seconds ago (undefined: Ready condition absent; false: Ready=False). */
  readySince?: number | false;
  /** Ready=True without a lastTransitionTime. */
  readyNoTime?: boolean;
  nodeName?: string;
  /** The pod-deletion-cost annotation value. */
  cost?: string;
  /** restartCount of each container. */
  restarts?: number[];
  /** Created this many seconds ago (undefined: no creationTimestamp). */
  createdAgo?: number;
  deleting?: boolean;
  owner?: OwnerReference;
  resourceVersion?: string;
}

let uidCounter = 0;

/** A mirror Pod, parsed (defaults applied) as a controller sees it. */
export function makePod(k: PodKnobs = {}): Pod {
  const uid = k.uid ?? `uid-${String(++uidCounter).padStart(6, "0")}`;
  const conditions =
    k.readyNoTime === true
      ? [{ type: "Ready", status: "True" }]
      : k.readySince === undefined
        ? undefined
        : k.readySince === false
          ? [{ type: "Ready", status: "False", lastTransitionTime: ago(1) }]
          : [{ type: "Ready", status: "True", lastTransitionTime: ago(k.readySince) }];
  const annotations = { ...k.annotations, ...(k.cost !== undefined && { [POD_DELETION_COST_ANNOTATION]: k.cost }) };
  return mustParse(kinds.Pod, {
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: {
      name: k.name ?? `pod-${uid}`,
      namespace: k.namespace ?? "ns",
      uid,
      resourceVersion: k.resourceVersion ?? "1",
      labels: k.labels ?? { app: "web" },
      ...(Object.keys(annotations).length > 0 && { annotations }),
      ...(k.createdAgo !== undefined && { creationTimestamp: ago(k.createdAgo) }),
      ...(k.deleting && { deletionTimestamp: ago(0) }),
      ...(k.owner && { ownerReferences: [k.owner] }),
    },
    spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }], ...(k.nodeName && { nodeName: k.nodeName }) },
    status: {
      phase: k.phase ?? (k.readySince === undefined && !k.readyNoTime ? "Pending" : "Running"),
      ...(conditions && { conditions }),
      ...(k.restarts && { containerStatuses: k.restarts.map((restartCount, i) => ({ name: `c${i}`, restartCount })) }),
    },
  });
}

export interface ReplicaSetKnobs {
  name?: string;
  namespace?: string;
  uid?: string;
  replicas?: number;
  minReadySeconds?: number;
  selector?: Record<string, string>;
  templateLabels?: Record<string, string>;
  generation?: number;
  deleting?: boolean;
  owner?: OwnerReference;
  status?: Record<string, unknown>;
}

/** A mirror ReplicaSet, parsed. */
export function makeReplicaSet(k: ReplicaSetKnobs = {}): ReplicaSet {
  const selector = k.selector ?? { app: "web" };
  return mustParse(kinds.ReplicaSet, replicaSetObject(k, selector));
}

/** The same ReplicaSet as the API server would serve it (unparsed). */
export function replicaSetObject(k: ReplicaSetKnobs = {}, selector = k.selector ?? { app: "web" }) {
  return {
    apiVersion: kinds.ReplicaSet.apiVersion,
    kind: "ReplicaSet",
    metadata: {
      name: k.name ?? "web",
      namespace: k.namespace ?? "ns",
      uid: k.uid ?? "rs-uid",
      resourceVersion: "10",
      generation: k.generation ?? 1,
      ...(k.deleting && { deletionTimestamp: ago(0) }),
      ...(k.owner && { ownerReferences: [k.owner] }),
    },
    spec: {
      replicas: k.replicas ?? 3,
      ...(k.minReadySeconds !== undefined && { minReadySeconds: k.minReadySeconds }),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: k.templateLabels ?? selector },
        spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] },
      },
    },
    ...(k.status && { status: k.status }),
  };
}

/** A controller reference to the ReplicaSet a fixture makes by default. */
export function rsRef(uid = "rs-uid", name = "web"): OwnerReference {
  return { apiVersion: kinds.ReplicaSet.apiVersion, kind: "ReplicaSet", name, uid, controller: true, blockOwnerDeletion: true };
}

// Test support: mirror Pods, real Pods and Nodes in the states the realizer
// meets, for its unit tests.
import { kinds, mustParse, type Pod } from "../../api/index.ts";
import { REALIZED_CONDITION, REALIZER_FINALIZER, Reasons } from "./names.ts";
import { realPods, type Node, type RealPod, type RealPodStatus } from "./resources.ts";
import { mirrorPods } from "./resources.ts";

/** A fixed "now" for tests: 2024-05-01T12:00:00Z, in ms and as metav1.Time. */
export const NOW_MS = Date.parse("2024-05-01T12:00:00Z");
export const NOW = "2024-05-01T12:00:00Z";

export function secondsAgo(s: number): string {
  return new Date(NOW_MS - s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const MIRROR_UID = "mirror-uid";

type Json = Record<string, unknown>;

/** A mirror Pod named web in ns, parsed; `spec`, `metadata` and `status` are merged over a minimal one. */
export function mirrorPod(over: { metadata?: Json; spec?: Json; status?: Json } = {}): Pod {
  return mustParse(kinds.Pod, {
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: { name: "web", namespace: "ns", uid: MIRROR_UID, resourceVersion: "7", labels: { app: "web" }, ...over.metadata },
    spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }], ...over.spec },
    status: { ...over.status },
  });
}

/** A mirror Pod bound to kwok-node-0 (as mirrorkube's scheduler binds), with the finalizer, realized. */
export function realizedMirror(over: { metadata?: Json; spec?: Json; status?: Json } = {}): Pod {
  return mirrorPod({
    metadata: { finalizers: [REALIZER_FINALIZER], ...over.metadata },
    spec: { nodeName: "kwok-node-0", ...over.spec },
    status: {
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: secondsAgo(60) },
        { type: REALIZED_CONDITION, status: "True", reason: Reasons.created, message: "The real Pod ns/web runs this mirror Pod", lastTransitionTime: secondsAgo(59) },
      ],
      ...over.status,
    },
  });
}

/** The real Pod of `mirror` (controlled by it unless `controllerUid` says otherwise), with the given status. */
export function realPod(mirror: Pod, status: RealPodStatus = {}, over: { controllerUid?: string | null; nodeName?: string; labels?: Record<string, string>; deleting?: boolean; annotations?: Record<string, string> } = {}): RealPod {
  const uid = over.controllerUid === undefined ? mirror.metadata.uid : over.controllerUid;
  return {
    apiVersion: realPods.version,
    kind: "Pod",
    metadata: {
      name: mirror.metadata.name,
      namespace: mirror.metadata.namespace,
      uid: "real-uid",
      resourceVersion: "100",
      labels: over.labels ?? { ...mirror.metadata.labels, "mirrorkube.dev/pod": mirror.metadata.name ?? "" },
      ...(over.annotations && { annotations: over.annotations }),
      ...(over.deleting && { deletionTimestamp: secondsAgo(1) }),
      ...(uid !== null && {
        ownerReferences: [{ apiVersion: `${mirrorPods.group}/${mirrorPods.version}`, kind: "Pod", name: mirror.metadata.name ?? "", uid: uid ?? "", controller: true, blockOwnerDeletion: true }],
      }),
    },
    spec: { ...mirror.spec, nodeName: over.nodeName ?? mirror.spec.nodeName },
    status,
  };
}

/** What kwok reports for a running, ready single-container pod. */
export function runningStatus(ready = true): RealPodStatus {
  const cond = (type: string, status: boolean) => ({ type, status: status ? ("True" as const) : ("False" as const), lastTransitionTime: secondsAgo(30) });
  return {
    phase: "Running",
    conditions: [cond("PodReadyToStartContainers", true), cond("Initialized", true), cond("Ready", ready), cond("ContainersReady", ready), cond("PodScheduled", true)],
    hostIP: "10.240.0.1",
    hostIPs: [{ ip: "10.240.0.1" }],
    podIP: "10.244.0.9",
    podIPs: [{ ip: "10.244.0.9" }],
    startTime: secondsAgo(30),
    qosClass: "BestEffort",
    containerStatuses: [
      { name: "app", image: "registry.invalid/app:1", imageID: "", ready, restartCount: 0, started: true, state: { running: { startedAt: secondsAgo(30) } } },
    ],
  };
}

export function node(name: string, ready: "True" | "False" | "Unknown" = "True", readySinceSeconds = 3600): Node {
  return {
    metadata: { name, creationTimestamp: secondsAgo(7200) },
    status: { conditions: [{ type: "Ready", status: ready, lastTransitionTime: secondsAgo(readySinceSeconds) }] },
  };
}

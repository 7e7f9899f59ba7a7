// Pod predicates every workload controller shares (upstream
// pkg/controller/controller_utils.go and pkg/api/v1/pod/util.go).
import type { Pod, PodCondition } from "../../api/index.ts";

/**
 * A pod that counts towards its controller's replicas: not terminated
 * (Succeeded/Failed) and not being deleted (upstream IsPodActive). A Failed
 * pod is therefore replaced while it still exists.
 */
export function isPodActive(pod: Pod): boolean {
  return pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

/** Upstream FilterActivePods. */
export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}

/** The pod's Ready condition, if it has one (upstream GetPodReadyCondition). */
export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status.conditions?.find((c) => c.type === "Ready");
}

/** Ready=True (upstream IsPodReady). */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === "True";
}

/**
 * Ready, and ready for longer than minReadySeconds (upstream IsPodAvailable).
 * The comparison is strict, as upstream's `Before`: a pod that became ready
 * exactly minReadySeconds ago is not yet available. Without a transition
 * time a pod is only available when minReadySeconds is 0.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = podReadyCondition(pod)?.lastTransitionTime;
  if (!since) return false;
  return Date.parse(since) + minReadySeconds * 1000 < now.getTime();
}

/** The time the pod last became ready, if it is ready (upstream podReadyTime; undefined is its zero time). */
export function podReadyTime(pod: Pod): string | undefined {
  const ready = podReadyCondition(pod);
  return ready?.status === "True" ? ready.lastTransitionTime : undefined;
}

/** The highest restart count of the pod's containers (upstream maxContainerRestarts). */
export function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status.containerStatuses ?? []).map((c) => c.restartCount));
}

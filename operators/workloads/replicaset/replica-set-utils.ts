// The ReplicaSet's status (upstream replica_set_utils.go calculateStatus and
// its condition helpers), pure.
import type { Condition, Pod, ReplicaSet, ReplicaSetStatus } from "../../api/index.ts";
import { findCondition, formatLabelSelector, formatTime, isPodAvailable, isPodReady, withoutCondition } from "../common/index.ts";

export const REPLICA_FAILURE = "ReplicaFailure";
export const FAILED_CREATE = "FailedCreate";
export const FAILED_DELETE = "FailedDelete";

/** Upstream NewReplicaSetCondition. */
export function newReplicaSetCondition(type: string, status: Condition["status"], reason: string, message: string, now: Date): Condition {
  return { type, status, lastTransitionTime: formatTime(now), ...(reason && { reason }), ...(message && { message }) };
}

/**
 * Upstream SetCondition: replaces the condition of its type, unless one with
 * the same status and reason is there already (its time and message stay).
 */
export function setCondition(conditions: readonly Condition[] | undefined, condition: Condition): Condition[] {
  const current = findCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return [...(conditions ?? [])];
  return [...(withoutCondition(conditions, condition.type) ?? []), condition];
}

/** Every label of the template is on the pod with the same value (the pod may have more). */
function hasTemplateLabels(pod: Pod, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

/**
 * The status a sync writes, from the ReplicaSet's active claimed pods:
 * - replicas: the active pods; fullyLabeledReplicas: those that carry every
 *   template label; readyReplicas; availableReplicas (ready for minReadySeconds);
 * - ReplicaFailure=True with reason FailedCreate/FailedDelete and the error
 *   as message when manageReplicas failed (kept as it is while the failure
 *   lasts), removed by a sync without error;
 * - observedGeneration: the generation this status describes;
 * - selector: spec.selector as a string, for the scale subresource (not upstream).
 * Counts of 0 are written, although upstream's omitempty leaves them out of
 * its JSON: the printer columns are JSONPaths, and `kubectl get` should show
 * READY 0, as for the built-in kind, not a blank (the Deployment does the
 * same). terminatingReplicas stays unset: upstream writes it only behind the
 * DeploymentReplicaSetTerminatingReplicas gate, off in the Kubernetes this mirrors.
 */
export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], manageReplicasError: Error | undefined, now: Date): ReplicaSetStatus {
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  const templateLabels = rs.spec.template.metadata?.labels ?? {};
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (hasTemplateLabels(pod, templateLabels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
  }

  const previous = rs.status;
  let conditions = previous?.conditions;
  const failure = findCondition(conditions, REPLICA_FAILURE);
  if (manageReplicasError && !failure) {
    const diff = activePods.length - rs.spec.replicas;
    const reason = diff < 0 ? FAILED_CREATE : diff > 0 ? FAILED_DELETE : "";
    conditions = setCondition(conditions, newReplicaSetCondition(REPLICA_FAILURE, "True", reason, manageReplicasError.message, now));
  } else if (!manageReplicasError && failure) {
    conditions = withoutCondition(conditions, REPLICA_FAILURE);
  }

  return {
    ...previous,
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    terminatingReplicas: undefined,
    observedGeneration: rs.metadata.generation,
    conditions,
    selector: formatLabelSelector(rs.spec.selector),
  };
}

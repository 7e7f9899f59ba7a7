// A StatefulSet's status (upstream stateful_set_control.go computeReplicaStatus,
// updateStatus; stateful_set_utils.go completeRollingUpdate). Pure.
import type { Pod, StatefulSet, StatefulSetStatus } from "../../api/index.ts";
import { formatLabelSelector } from "../common/index.ts";
import { isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from "./stateful-set-utils.ts";

export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/**
 * The counts over the set's pods (in range and condemned alike):
 * - replicas: every pod that exists, terminating ones included;
 * - readyReplicas: Running and Ready; availableReplicas: of those, ready for minReadySeconds;
 * - currentReplicas / updatedReplicas: pods not terminating at the current / update revision.
 */
export function countReplicas(pods: readonly Pod[], minReadySeconds: number, now: Date, currentRevision: string, updateRevision: string): ReplicaCounts {
  const counts: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    counts.replicas++;
    if (isRunningAndReady(pod)) {
      counts.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) counts.availableReplicas++;
    }
    if (isTerminating(pod)) continue;
    const revision = podRevision(pod);
    if (revision === currentRevision) counts.currentReplicas++;
    if (revision === updateRevision) counts.updatedReplicas++;
  }
  return counts;
}

export interface StatusInput {
  counts: ReplicaCounts;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
}

/**
 * The status a sync writes (a fresh one, as upstream's: nothing of the old
 * status is kept), with the rolling update completed (upstream
 * completeRollingUpdate, applied before the write): once every replica is
 * updated and ready, the update revision becomes the current one. OnDelete
 * never completes, as upstream. Counts of 0 are written (upstream's
 * omitempty drops them), and two fields upstream has not: selector, the
 * scale subresource's labelSelectorPath, and ready ("2/3"), the READY column.
 */
export function statefulSetStatus(set: StatefulSet, input: StatusInput): StatefulSetStatus {
  const { counts, collisionCount } = input;
  let { currentRevision } = input;
  let { currentReplicas } = counts;
  const replicas = set.spec.replicas;
  if (set.spec.updateStrategy.type === "RollingUpdate" && counts.updatedReplicas === replicas && counts.readyReplicas === replicas && counts.replicas === replicas) {
    currentRevision = input.updateRevision;
    currentReplicas = counts.updatedReplicas;
  }
  return {
    observedGeneration: set.metadata.generation,
    replicas: counts.replicas,
    readyReplicas: counts.readyReplicas,
    currentReplicas,
    updatedReplicas: counts.updatedReplicas,
    availableReplicas: counts.availableReplicas,
    currentRevision,
    updateRevision: input.updateRevision,
    collisionCount,
    selector: formatLabelSelector(set.spec.selector),
    ready: `${counts.readyReplicas}/${replicas}`,
  };
}

import type { DeploymentCondition, DeploymentStatus, ReplicaSet } from "../../api/index.ts";
import { semanticEqual } from "../common/index.ts";
import type { PlanContext } from "./plan-context.ts";
import { calculateStatus } from "./sync.ts";
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  progressDeadline,
  removeCondition,
  setCondition,
} from "./util/conditions.ts";
import {
  DEPLOYMENT_PROGRESSING,
  DEPLOYMENT_REPLICA_FAILURE,
  NEW_RS_AVAILABLE_REASON,
  REPLICA_SET_REPLICA_FAILURE,
  REPLICA_SET_UPDATED_REASON,
  TIMED_OUT_REASON,
} from "./util/constants.ts";

// Upstream progress.go: the Progressing condition of a rollout, and when to
// look again so a deadline is noticed even if nothing else happens.

/**
 * The status of a rollout step (upstream syncRolloutStatus): counts and
 * Available as calculateStatus, Progressing from what changed since the
 * current status, and ReplicaSet failures surfaced as ReplicaFailure.
 */
export function syncRolloutStatus(ctx: PlanContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
  const d = ctx.d;
  let next = calculateStatus(allRSs, newRS, d, ctx.nowTime);
  if (!hasProgressDeadline(d)) next = removeCondition(next, DEPLOYMENT_PROGRESSING);

  // One complete rollout that nothing has changed since: no progress to estimate.
  const current = getCondition(ctx.status, DEPLOYMENT_PROGRESSING);
  const isCompleteDeployment = next.replicas === next.updatedReplicas && current?.reason === NEW_RS_AVAILABLE_REASON;
  if (hasProgressDeadline(d) && !isCompleteDeployment) next = progressingCondition(ctx, next, newRS, current);

  const failure = replicaFailure(allRSs, newRS);
  next = failure ? setCondition(next, failure) : removeCondition(next, DEPLOYMENT_REPLICA_FAILURE);

  // Upstream checks for a stuck rollout only when there is nothing to write:
  // a write comes back as an event and another sync anyway.
  if (semanticEqual(ctx.status, next)) ctx.requeueAfterMs = requeueStuckDeployment(ctx, next);
  ctx.status = next;
}

function progressingCondition(ctx: PlanContext, next: DeploymentStatus, newRS: ReplicaSet | undefined, current: DeploymentCondition | undefined): DeploymentStatus {
  const d = ctx.d;
  const subject = newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata.name)}` : `Deployment ${JSON.stringify(d.metadata.name)}`;
  if (deploymentComplete(d, next)) {
    return setCondition(next, newCondition(DEPLOYMENT_PROGRESSING, "True", NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, ctx.nowTime));
  }
  if (deploymentProgressing(d, next)) {
    // Progress refreshes lastUpdateTime even when the reason stays the same,
    // which setCondition alone would not do: so replace the condition.
    const cond = newCondition(DEPLOYMENT_PROGRESSING, "True", REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, ctx.nowTime);
    if (current?.status === "True") cond.lastTransitionTime = current.lastTransitionTime;
    return setCondition(current ? removeCondition(next, DEPLOYMENT_PROGRESSING) : next, cond);
  }
  if (deploymentTimedOut(d, next, ctx.now)) {
    return setCondition(next, newCondition(DEPLOYMENT_PROGRESSING, "False", TIMED_OUT_REASON, `${subject} has timed out progressing.`, ctx.nowTime));
  }
  return next;
}

/** The new ReplicaSet's ReplicaFailure condition, else any old one's (upstream getReplicaFailures). */
function replicaFailure(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = rs?.status?.conditions?.find((x) => x.type === REPLICA_SET_REPLICA_FAILURE);
    if (c) {
      return {
        type: DEPLOYMENT_REPLICA_FAILURE,
        status: c.status,
        ...(c.lastTransitionTime !== undefined && { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime }),
        ...(c.reason !== undefined && { reason: c.reason }),
        ...(c.message !== undefined && { message: c.message }),
      };
    }
  }
  return undefined;
}

/**
 * When to sync again to notice the progress deadline passing (upstream
 * requeueStuckDeployment): lastUpdateTime + deadline − now, plus a second
 * against clock skew; undefined when no deadline can pass (none set, no
 * Progressing condition yet, complete, or already timed out).
 */
export function requeueStuckDeployment(ctx: PlanContext, next: DeploymentStatus): number | undefined {
  const d = ctx.d;
  const current = getCondition(ctx.status, DEPLOYMENT_PROGRESSING);
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (deploymentComplete(d, next) || current.reason === TIMED_OUT_REASON) return undefined;
  const deadline = progressDeadline(d, ctx.status);
  if (deadline === undefined) return undefined;
  // Less than a second left: upstream requeues at once (rate limited); a
  // second from now is as good, and the deadline has passed by then.
  return Math.max(0, deadline - ctx.now.getTime()) + 1000;
}

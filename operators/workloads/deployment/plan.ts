import type { Deployment, Pod, ReplicaSet } from "../../api/index.ts";
import { semanticEqual } from "../common/index.ts";
import type { DeploymentPlan } from "./actions.ts";
import { selectingAllEvent } from "./events.ts";
import { PlanContext } from "./plan-context.ts";
import { rolloutRecreate } from "./recreate.ts";
import { rollback } from "./rollback.ts";
import { rolloutRolling } from "./rolling.ts";
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from "./sync.ts";
import { rollbackToRevision } from "./util/annotations.ts";

/**
 * One reconcile of a Deployment, decided (upstream syncDeployment, in its
 * order): an empty selector only warns; a Deployment being deleted only
 * gets its status; otherwise the paused condition is kept, then the first
 * that applies of: paused (scale, no new ReplicaSet), a legacy rollback
 * request, a scaling event (proportional scaling), the rollout strategy.
 *
 * `replicaSets` are the ones the Deployment owns (after claiming), `pods`
 * those its selector matches; `now` is the time conditions carry and
 * deadlines are measured against.
 */
export function planDeployment(deployment: Deployment, replicaSets: readonly ReplicaSet[], pods: readonly Pod[], now: Date): DeploymentPlan {
  const ctx = new PlanContext(deployment, replicaSets, pods, now);
  const d = ctx.d;
  if (selectsEverything(d)) {
    ctx.event(selectingAllEvent());
    const generation = d.metadata.generation ?? 0;
    if ((ctx.status.observedGeneration ?? 0) < generation) ctx.status = { ...ctx.status, observedGeneration: generation };
  } else if (d.metadata.deletionTimestamp) {
    syncStatusOnly(ctx);
  } else {
    checkPausedConditions(ctx);
    if (d.spec.paused) sync(ctx);
    // Not re-entrant: a rollback bumps revisions, so nothing else runs
    // until the request is cleared.
    else if (rollbackToRevision(d) !== undefined) rollback(ctx);
    else if (isScalingEvent(ctx)) sync(ctx);
    else if (d.spec.strategy.type === "Recreate") rolloutRecreate(ctx);
    else rolloutRolling(ctx);
  }
  return {
    actions: ctx.actions,
    status: ctx.status,
    statusChanged: !semanticEqual(deployment.status ?? {}, ctx.status),
    events: ctx.events,
    ...(ctx.requeueAfterMs !== undefined && { requeueAfterMs: ctx.requeueAfterMs }),
  };
}

function selectsEverything(d: Deployment): boolean {
  const s = d.spec.selector;
  return Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
}

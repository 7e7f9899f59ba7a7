import type { ReplicaSet } from "../../api/index.ts";
import type { PlanContext } from "./plan-context.ts";
import { syncRolloutStatus } from "./progress.ts";
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision } from "./sync.ts";
import { deploymentComplete } from "./util/conditions.ts";
import { maxUnavailable } from "./util/fenceposts.ts";
import { availableReplicas, byCreationTimestamp, filterActive, newRSNewReplicas, specReplicas } from "./util/replica-sets.ts";

// Upstream rolling.go: one step of a RollingUpdate per sync. Scale the new
// ReplicaSet up within maxSurge; if that did nothing, scale old ones down
// within maxUnavailable; once complete, clean up history.

export function rolloutRolling(ctx: PlanContext): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, true);
  // Created above when missing, so always present here.
  if (!newRS) return;
  const allRSs = [...oldRSs, newRS];

  if (reconcileNewReplicaSet(ctx, allRSs, newRS) || reconcileOldReplicaSets(ctx, allRSs, filterActive(oldRSs), newRS)) {
    syncRolloutStatus(ctx, allRSs, newRS);
    return;
  }
  if (deploymentComplete(ctx.d, ctx.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, allRSs, newRS);
}

function reconcileNewReplicaSet(ctx: PlanContext, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): boolean {
  const replicas = ctx.d.spec.replicas;
  if (newRS.spec.replicas === replicas) return false;
  // Scaled down (the Deployment was): straight to the new size.
  if (newRS.spec.replicas > replicas) return ctx.scaleReplicaSet(newRS, replicas).scaled;
  return ctx.scaleReplicaSet(newRS, newRSNewReplicas(ctx.d, allRSs, newRS)).scaled;
}

/**
 * Scales old ReplicaSets down as far as availability allows. At most
 * Σspec − minAvailable − (new spec − new available) go: the new
 * ReplicaSet's unavailable pods count against the budget, so a broken new
 * template never costs old, working pods. Unhealthy old pods go first
 * (that costs no availability), then available ones down to minAvailable.
 */
function reconcileOldReplicaSets(ctx: PlanContext, allRSs: readonly ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
  if (specReplicas(oldRSs) === 0) return false;
  const minAvailable = ctx.d.spec.replicas - maxUnavailable(ctx.d);
  const newRSUnavailable = newRS.spec.replicas - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;

  const cleaned = cleanupUnhealthyReplicas(ctx, oldRSs, maxScaledDown);
  // A ReplicaSet reporting more available pods than it is asked for has
  // not caught up with its last scale-down: its numbers cannot be trusted
  // for more, so (as upstream, through an error it swallows) stop here.
  if (!cleaned) return false;
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs, minAvailable);
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable pods, oldest first, within `maxCleanup`. */
function cleanupUnhealthyReplicas(ctx: PlanContext, oldRSs: ReplicaSet[], maxCleanup: number): { oldRSs: ReplicaSet[]; count: number } | undefined {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (total >= maxCleanup) break;
    const rs = sorted[i];
    if (!rs || rs.spec.replicas === 0) continue;
    const unhealthy = rs.spec.replicas - (rs.status?.availableReplicas ?? 0);
    if (unhealthy === 0) continue;
    if (unhealthy < 0) return undefined;
    const count = Math.min(maxCleanup - total, unhealthy);
    sorted[i] = ctx.scaleReplicaSet(rs, rs.spec.replicas - count).rs;
    total += count;
  }
  return { oldRSs: sorted, count: total };
}

/** Scales old ReplicaSets down, oldest first, by what is available beyond minAvailable. */
function scaleDownOldReplicaSetsForRollingUpdate(ctx: PlanContext, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], minAvailable: number): number {
  const available = availableReplicas(allRSs);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= budget) break;
    if (rs.spec.replicas === 0) continue;
    const count = Math.min(rs.spec.replicas, budget - total);
    ctx.scaleReplicaSet(rs, rs.spec.replicas - count);
    total += count;
  }
  return total;
}

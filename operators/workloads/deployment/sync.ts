import type { Deployment, DeploymentStatus, ReplicaSet } from "../../api/index.ts";
import { replicaSetCreateErrorEvent, replicaSetCreateErrorMessage, scaledEvent, type PlannedEvent } from "./events.ts";
import { refOf, type PlanContext } from "./plan-context.ts";
import { desiredReplicasAnnotation, newReplicaSetAnnotations, rollbackToRevision } from "./util/annotations.ts";
import { getCondition, hasProgressDeadline, hasRevisionHistoryLimit, newCondition, setCondition } from "./util/conditions.ts";
import {
  DEPLOYMENT_AVAILABLE,
  DEPLOYMENT_PROGRESSING,
  FAILED_RS_CREATE_REASON,
  FOUND_NEW_RS_REASON,
  MINIMUM_REPLICAS_AVAILABLE,
  MINIMUM_REPLICAS_UNAVAILABLE,
  NEW_REPLICA_SET_REASON,
  PAUSED_DEPLOY_REASON,
  RESUMED_DEPLOY_REASON,
  REVISION_ANNOTATION,
  TIMED_OUT_REASON,
} from "./util/constants.ts";
import { isRollingUpdate, maxSurge, maxUnavailable } from "./util/fenceposts.ts";
import { computeHash } from "./util/hash.ts";
import { maxRevision } from "./util/history.ts";
import { newReplicaSetFor } from "./util/new-replica-set.ts";
import {
  actualReplicas,
  availableReplicas,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  filterActive,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
  newRSNewReplicas,
  readyReplicas,
  replicaSetProportion,
  specReplicas,
} from "./util/replica-sets.ts";
import { formatLabelSelector, formatTime } from "../common/index.ts";

// Upstream sync.go: finding (or creating) the new ReplicaSet and syncing
// revisions, proportional scaling, history cleanup and status.

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

/**
 * The new ReplicaSet and all old ones, with revisions synced: the new one's
 * revision raised above every old one's, and copied onto the Deployment
 * (upstream getAllReplicaSetsAndSyncRevision).
 */
export function getAllReplicaSetsAndSyncRevision(ctx: PlanContext, createIfNotExisted: boolean): ReplicaSets {
  const oldRSs = findOldReplicaSets(ctx.d, ctx.rsList);
  const newRS = getNewReplicaSet(ctx, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

function getNewReplicaSet(ctx: PlanContext, oldRSs: ReplicaSet[], createIfNotExisted: boolean): ReplicaSet | undefined {
  const d = ctx.d;
  const existing = findNewReplicaSet(d, ctx.rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);

  if (existing) {
    const { annotations, changed } = newReplicaSetAnnotations(d, existing, newRevision, true);
    const minReadySecondsNeedsUpdate = (existing.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (changed || minReadySecondsNeedsUpdate) {
      // The Deployment's revision follows on the next pass over the
      // ReplicaSets, from the annotation as written (upstream: the next
      // sync; here the strategy's pass later in the same plan).
      const updated: ReplicaSet = {
        ...existing,
        metadata: { ...existing.metadata, annotations },
        spec: minReadySecondsNeedsUpdate ? { ...existing.spec, minReadySeconds: d.spec.minReadySeconds ?? 0 } : existing.spec,
      };
      const before = existing.metadata.annotations ?? {};
      ctx.actions.push({
        type: "updateReplicaSetAnnotations",
        target: refOf(existing),
        annotations: Object.fromEntries(Object.entries(annotations).filter(([k, v]) => before[k] !== v)),
        ...(minReadySecondsNeedsUpdate && { minReadySeconds: d.spec.minReadySeconds ?? 0 }),
      });
      ctx.replace(updated);
      return updated;
    }
    ctx.setDeploymentRevision(existing.metadata.annotations?.[REVISION_ANNOTATION] ?? "");
    // A Deployment that never had a Progressing condition starts measuring
    // progress from the moment its new ReplicaSet is first seen.
    if (hasProgressDeadline(d) && !getCondition(ctx.status, DEPLOYMENT_PROGRESSING)) {
      const msg = `Found new replica set ${JSON.stringify(existing.metadata.name)}`;
      ctx.status = setCondition(ctx.status, newCondition(DEPLOYMENT_PROGRESSING, "True", FOUND_NEW_RS_REASON, msg, ctx.nowTime));
    }
    return existing;
  }

  if (!createIfNotExisted) return undefined;

  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const fresh = newReplicaSetFor(d, hash);
  const replicas = newRSNewReplicas(d, [...oldRSs, fresh], fresh);
  const sized: ReplicaSet = { ...fresh, spec: { ...fresh.spec, replicas } };
  const created: ReplicaSet = { ...sized, metadata: { ...sized.metadata, annotations: newReplicaSetAnnotations(d, sized, newRevision, false).annotations } };
  const name = created.metadata.name ?? "";
  ctx.actions.push({ type: "createReplicaSet", replicaSet: created, events: replicas > 0 ? [scaledEvent(name, 0, replicas)] : [] });
  // What the cache will show once the create is observed: the newest ReplicaSet, running nothing yet.
  const observed: ReplicaSet = { ...created, metadata: { ...created.metadata, creationTimestamp: ctx.nowTime }, status: { replicas: 0 } };
  ctx.replace(observed);

  ctx.setDeploymentRevision(newRevision);
  if (hasProgressDeadline(d)) {
    const msg = `Created new replica set ${JSON.stringify(name)}`;
    ctx.status = setCondition(ctx.status, newCondition(DEPLOYMENT_PROGRESSING, "True", NEW_REPLICA_SET_REASON, msg, ctx.nowTime));
  }
  return observed;
}

/**
 * The status after a failed create of the new ReplicaSet, and the warning
 * to record (upstream getNewReplicaSet's error path). Not for AlreadyExists:
 * that is a hash collision or a stale cache (see withCollision).
 */
export function onReplicaSetCreateError(d: Deployment, status: DeploymentStatus, rsName: string, err: string, now: Date): { status: DeploymentStatus; event: PlannedEvent } {
  const next = hasProgressDeadline(d)
    ? setCondition(status, newCondition(DEPLOYMENT_PROGRESSING, "False", FAILED_RS_CREATE_REASON, replicaSetCreateErrorMessage(rsName, err), formatTime(now)))
    : status;
  return { status: next, event: replicaSetCreateErrorEvent(rsName, err) };
}

/** The status after the new ReplicaSet's name turned out taken by a foreign one: the next hash will differ. */
export function withCollision(status: DeploymentStatus): DeploymentStatus {
  return { ...status, collisionCount: (status.collisionCount ?? 0) + 1 };
}

/**
 * Proportional scaling (upstream scale): on a scaling event or while paused,
 * spread the change over the active ReplicaSets in proportion to their
 * sizes, so a problem with the template being rolled out does not get more
 * replicas than its share.
 */
export function scale(ctx: PlanContext, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const d = ctx.d;
  const replicas = d.spec.replicas;
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (activeOrLatest.spec.replicas !== replicas) ctx.scaleReplicaSetAndRecordEvent(activeOrLatest, replicas);
    return;
  }

  // A saturated new ReplicaSet (e.g. one adopted mid-rollout): the old ones are done.
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) ctx.scaleReplicaSetAndRecordEvent(old, 0);
    return;
  }

  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - specReplicas(all);
  // Ties: grow newer ReplicaSets first, shrink older ones first.
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);

  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return rs.spec.replicas;
    const proportion = replicaSetProportion(rs, d, toAdd, added);
    added += proportion;
    return rs.spec.replicas + proportion;
  });
  // Rounding leftovers go to the largest ReplicaSet.
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + toAdd - added);
  all.forEach((rs, i) => ctx.scaleReplicaSet(rs, sizes[i] ?? rs.spec.replicas));
}

/**
 * Deletes the oldest old ReplicaSets beyond revisionHistoryLimit (upstream
 * cleanupDeployment). Only empty, settled ones go: one still running pods,
 * asked to, or not yet caught up with its spec is skipped, and not
 * replaced by a newer candidate.
 */
export function cleanupDeployment(ctx: PlanContext, oldRSs: readonly ReplicaSet[]): void {
  const d = ctx.d;
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - d.spec.revisionHistoryLimit;
  if (diff <= 0) return;
  const sorted = [...cleanable].sort(byRevision);
  for (const rs of sorted.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || rs.spec.replicas !== 0) continue;
    if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    ctx.actions.push({ type: "deleteReplicaSet", target: refOf(rs) });
    ctx.remove(rs);
  }
}

/**
 * The Deployment's status from its ReplicaSets (upstream calculateStatus),
 * with the Available condition, plus the two display fields mirrorkube adds
 * (ready, selector). Other conditions are carried over.
 */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const available = availableReplicas(allRSs);
  const ready = readyReplicas(allRSs);
  const status: DeploymentStatus = {
    ...(d.metadata.generation !== undefined && { observedGeneration: d.metadata.generation }),
    replicas: actualReplicas(allRSs),
    updatedReplicas: actualReplicas([newRS]),
    readyReplicas: ready,
    availableReplicas: available,
    // Floored: while scaling down, more may be available than asked for.
    unavailableReplicas: Math.max(0, specReplicas(allRSs) - available),
    ...(d.status?.collisionCount !== undefined && { collisionCount: d.status.collisionCount }),
    ...(d.status?.conditions && { conditions: [...d.status.conditions] }),
    ready: `${ready}/${d.spec.replicas}`,
    selector: formatLabelSelector(d.spec.selector),
  };
  const cond =
    available >= d.spec.replicas - maxUnavailable(d)
      ? newCondition(DEPLOYMENT_AVAILABLE, "True", MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now)
      : newCondition(DEPLOYMENT_AVAILABLE, "False", MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", now);
  return setCondition(status, cond);
}

/** Status without progress estimation (upstream syncDeploymentStatus): for scaling events, paused and deleted Deployments. */
export function syncDeploymentStatus(ctx: PlanContext, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): void {
  ctx.status = calculateStatus(allRSs, newRS, ctx.d, ctx.nowTime);
}

/**
 * A scaling event: some active ReplicaSet was last scaled for another
 * spec.replicas than the current one (upstream isScalingEvent). Those are
 * handled by proportional scaling, not by the rollout strategy.
 */
export function isScalingEvent(ctx: PlanContext): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== ctx.d.spec.replicas;
  });
}

/**
 * Marks pausing and resuming in the Progressing condition (upstream
 * checkPausedConditions), so the time spent paused never counts against the
 * progress deadline. A timed-out rollout keeps saying so.
 */
export function checkPausedConditions(ctx: PlanContext): void {
  const d = ctx.d;
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(ctx.status, DEPLOYMENT_PROGRESSING);
  if (cond?.reason === TIMED_OUT_REASON) return;
  const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
  if (d.spec.paused && !pausedCondExists) {
    ctx.status = setCondition(ctx.status, newCondition(DEPLOYMENT_PROGRESSING, "Unknown", PAUSED_DEPLOY_REASON, "Deployment is paused", ctx.nowTime));
  } else if (!d.spec.paused && pausedCondExists) {
    ctx.status = setCondition(ctx.status, newCondition(DEPLOYMENT_PROGRESSING, "Unknown", RESUMED_DEPLOY_REASON, "Deployment is resumed", ctx.nowTime));
  }
}

/**
 * Scaling events and paused Deployments (upstream sync): scale
 * proportionally, never create a ReplicaSet; a paused one also cleans up
 * its history.
 */
export function sync(ctx: PlanContext): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  scale(ctx, newRS, oldRSs);
  if (ctx.d.spec.paused && rollbackToRevision(ctx.d) === undefined) cleanupDeployment(ctx, oldRSs);
  syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
}

/** A Deployment being deleted: status only (upstream syncStatusOnly). */
export function syncStatusOnly(ctx: PlanContext): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS);
}

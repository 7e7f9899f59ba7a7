import type { ConditionStatus, Deployment, DeploymentCondition, DeploymentStatus } from "../../../api/index.ts";
import { findCondition, withoutCondition } from "../../common/index.ts";
import { DEPLOYMENT_PROGRESSING, MAX_INT32, NEW_RS_AVAILABLE_REASON, TIMED_OUT_REASON } from "./constants.ts";

// Deployment conditions as upstream's deployment_util.go keeps them.

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return findCondition(status?.conditions, type);
}

/**
 * The conditions with `cond` set (upstream SetDeploymentCondition): nothing
 * changes when one of that type already has the same status and reason (so
 * its times and message stay); a status that does not change keeps its
 * lastTransitionTime. A replaced condition moves to the end, as upstream's
 * does, so the list compares equal with what upstream would have written.
 */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): DeploymentStatus {
  const current = getCondition(status, cond.type);
  if (current && current.status === cond.status && current.reason === cond.reason) return status;
  const next = current && current.status === cond.status ? { ...cond, lastTransitionTime: current.lastTransitionTime } : cond;
  return { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next] };
}

export function removeCondition(status: DeploymentStatus, type: string): DeploymentStatus {
  if (!findCondition(status.conditions, type)) return status;
  const { conditions: _, ...rest } = status;
  const conditions = withoutCondition(status.conditions, type);
  return conditions ? { ...rest, conditions } : rest;
}

/** progressDeadlineSeconds is set (MaxInt32 means "no deadline", as upstream's default used to). */
export function hasProgressDeadline(d: Deployment): boolean {
  return d.spec.progressDeadlineSeconds !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  return d.spec.revisionHistoryLimit !== MAX_INT32;
}

/** Every replica updated and available, and the spec observed (upstream DeploymentComplete). */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = d.spec.replicas;
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/**
 * Whether `next` shows progress over the Deployment's current status
 * (upstream DeploymentProgressing): more updated, fewer old, more ready or
 * more available replicas.
 */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const nextOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    nextOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** When the Progressing condition in `status` runs out of time (lastUpdateTime + deadline), in epoch ms. */
export function progressDeadline(d: Deployment, status: DeploymentStatus | undefined): number | undefined {
  const from = getCondition(status, DEPLOYMENT_PROGRESSING)?.lastUpdateTime;
  return from === undefined ? undefined : Date.parse(from) + d.spec.progressDeadlineSeconds * 1000;
}

/**
 * The rollout made no progress within progressDeadlineSeconds of the
 * Progressing condition's lastUpdateTime (upstream DeploymentTimedOut). A
 * completed rollout never times out; one that did stays timed out.
 */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getCondition(status, DEPLOYMENT_PROGRESSING);
  if (!cond) return false;
  if (cond.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (cond.reason === TIMED_OUT_REASON) return true;
  const deadline = progressDeadline(d, status);
  return deadline !== undefined && deadline < now.getTime();
}

import type { Deployment, ReplicaSet } from "../../../api/index.ts";
import {
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
} from "./constants.ts";
import { maxSurge } from "./fenceposts.ts";
import { appendRevisionHistory, parseRevision } from "./history.ts";

export type Annotations = Record<string, string>;

/**
 * Annotations a Deployment never hands to its ReplicaSets (nor takes back on
 * a rollback): the controller's own bookkeeping, and kubectl's
 * last-applied-configuration, which describes the Deployment and would only
 * mislead on a ReplicaSet.
 */
const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
]);

export function isSkippedAnnotation(key: string): boolean {
  return SKIPPED.has(key);
}

export interface AnnotationUpdate {
  annotations: Annotations;
  changed: boolean;
}

/** The Deployment's annotations copied over the ReplicaSet's, except the skipped ones; none is ever removed. */
export function copyDeploymentAnnotations(d: Deployment, rsAnnotations: Annotations | undefined): AnnotationUpdate {
  const annotations = { ...rsAnnotations };
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (isSkippedAnnotation(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return { annotations, changed };
}

/** An int32 annotation (desired-replicas, max-replicas); undefined when absent or malformed. */
export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

export function maxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return a?.[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/** desired-replicas and max-replicas, as every scale of a ReplicaSet writes them. */
export function setReplicasAnnotations(annotations: Annotations | undefined, desired: number, max: number): AnnotationUpdate {
  const out = { ...annotations };
  const changed = out[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || out[MAX_REPLICAS_ANNOTATION] !== String(max);
  out[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  out[MAX_REPLICAS_ANNOTATION] = String(max);
  return { annotations: out, changed };
}

/**
 * The annotations of the Deployment's new ReplicaSet (upstream
 * SetNewReplicaSetAnnotations): the Deployment's copied over; the revision
 * raised to `newRevision` if lower, the old one then appended to the
 * revision history (a reused ReplicaSet: a rollback); and, for one about to
 * be created, the replicas annotations. A revision that is not a number
 * leaves everything as it is, as upstream does.
 */
export function newReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): AnnotationUpdate {
  const copied = copyDeploymentAnnotations(d, rs.metadata.annotations);
  const annotations = copied.annotations;
  let changed = copied.changed;
  const oldRevision = annotations[REVISION_ANNOTATION];
  const oldValue = oldRevision === undefined || oldRevision === "" ? 0 : parseRevision(oldRevision);
  const newValue = parseRevision(newRevision);
  if (oldValue === undefined || newValue === undefined) return { annotations: { ...rs.metadata.annotations }, changed: false };
  if (oldValue < newValue) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
    if (oldRevision !== undefined) {
      const history = appendRevisionHistory(annotations[REVISION_HISTORY_ANNOTATION], oldRevision);
      if (history !== undefined) annotations[REVISION_HISTORY_ANNOTATION] = history;
    }
  }
  if (!exists) {
    const replicas = setReplicasAnnotations(annotations, d.spec.replicas, d.spec.replicas + maxSurge(d));
    return { annotations: replicas.annotations, changed: changed || replicas.changed };
  }
  return { annotations, changed };
}

/**
 * The Deployment's annotations after a rollback to `rs` (upstream
 * SetDeploymentAnnotationsTo): its own bookkeeping kept, everything else
 * taken from the ReplicaSet, so that, e.g., a change-cause goes back with
 * the template it described.
 */
export function rollbackAnnotations(dAnnotations: Annotations | undefined, rsAnnotations: Annotations | undefined): Annotations {
  const out: Annotations = {};
  for (const [k, v] of Object.entries(dAnnotations ?? {})) if (isSkippedAnnotation(k)) out[k] = v;
  for (const [k, v] of Object.entries(rsAnnotations ?? {})) if (!isSkippedAnnotation(k)) out[k] = v;
  return out;
}

/**
 * The revision a legacy rollback asks for (the round-tripped
 * extensions/v1beta1 spec.rollbackTo): 0 means the previous one; undefined
 * when there is no request or it is not a number (upstream ignores those).
 */
export function rollbackToRevision(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (v === undefined || v === "") return undefined;
  return parseRevision(v);
}

// The mirror Pod's status: copied from its real Pod, or set by the realizer
// when there is no real Pod to copy from (not yet created, in conflict,
// lost). Every status here ends with the display fields, computed from the
// status itself, as `kubectl get` would print it.
import { PodStatusSchema, type Pod, type PodCondition, type PodStatus } from "../../api/index.ts";
import { findCondition, semanticEqual } from "../common/index.ts";
import { setCondition } from "./conditions.ts";
import { podDisplay } from "./display.ts";
import { KUBE_SCHEDULER, Messages, REALIZED_CONDITION, Reasons } from "./names.ts";
import type { RealPod } from "./resources.ts";

/** The mirror Pod status that reflects its real Pod. */
export function statusFromReal(mirror: Pod, real: RealPod, now: string): PodStatus {
  const rs = real.status ?? {};
  // Who placed the pod owns PodScheduled and nominatedNodeName: mirrorkube's
  // scheduler writes them on the mirror Pod, kube-scheduler on the real one.
  const placedByKubeScheduler = mirror.spec.schedulerName === KUBE_SCHEDULER;
  const mirrorScheduled = findCondition(mirror.status.conditions, "PodScheduled");
  const scheduled = placedByKubeScheduler || !mirrorScheduled ? findCondition(rs.conditions, "PodScheduled") : mirrorScheduled;

  const runtime = (rs.conditions ?? []).filter((c) => c.type !== "PodScheduled" && c.type !== REALIZED_CONDITION);
  // Set against the mirror's own conditions, where the previous Realized condition (and its time) is.
  const realized = setCondition(mirror.status.conditions ?? [], realizedCondition(mirror), now).filter((c) => c.type === REALIZED_CONDITION);
  const conditions = [...(scheduled ? [scheduled] : []), ...runtime, ...realized];
  const nominatedNodeName = placedByKubeScheduler ? rs.nominatedNodeName : mirror.status.nominatedNodeName;

  return withDisplay(mirror, {
    phase: rs.phase ?? "Pending",
    conditions,
    message: rs.message,
    reason: rs.reason,
    nominatedNodeName,
    hostIP: rs.hostIP,
    hostIPs: rs.hostIPs,
    podIP: rs.podIP,
    podIPs: rs.podIPs,
    startTime: rs.startTime,
    initContainerStatuses: rs.initContainerStatuses,
    containerStatuses: rs.containerStatuses,
    qosClass: rs.qosClass,
    observedGeneration: mirror.status.observedGeneration,
  });
}

/** Right after the real Pod was created: Pending, and Realized=True (the marker that a real Pod existed). */
export function realizedStatus(mirror: Pod, now: string): PodStatus {
  const conditions = setCondition(mirror.status.conditions ?? [], realizedCondition(mirror), now);
  return withDisplay(mirror, { ...withoutRealizerMessage(mirror), phase: "Pending", conditions });
}

/** Still Pending, and why the real Pod cannot be created: Realized=False with the reason, and status.message. */
export function notRealizedStatus(mirror: Pod, reason: string, message: string, now: string): PodStatus {
  const conditions = setCondition(mirror.status.conditions ?? [], { type: REALIZED_CONDITION, status: "False", reason, message }, now);
  return withDisplay(mirror, { ...mirror.status, phase: "Pending", conditions, message });
}

/**
 * Failed, for good: the real Pod or its Node is gone. Containers are no
 * longer ready (upstream marks pods of a lost node not ready), so neither
 * the READY column nor a Service counts them.
 */
export function failedStatus(mirror: Pod, reason: string, message: string, now: string): PodStatus {
  let conditions = mirror.status.conditions ?? [];
  for (const type of ["Ready", "ContainersReady"]) {
    if (findCondition(conditions, type)) conditions = setCondition(conditions, { type, status: "False", reason }, now);
  }
  const notReady = mirror.status.containerStatuses?.map((c) => ({ ...c, ready: false }));
  const initNotReady = mirror.status.initContainerStatuses?.map((c) => ({ ...c, ready: false }));
  return withDisplay(mirror, {
    ...mirror.status,
    phase: "Failed",
    reason,
    message,
    conditions,
    containerStatuses: notReady,
    initContainerStatuses: initNotReady,
  });
}

/** The mirror Pod's own status with its display fields brought up to date (an unrealized or finished pod). */
export function currentStatus(mirror: Pod): PodStatus {
  return withDisplay(mirror, mirror.status);
}

/** Whether writing `next` would change the stored status (both taken as the schema normalises them). */
export function statusChanged(current: PodStatus, next: PodStatus): boolean {
  return !semanticEqual(current, next);
}

function realizedCondition(mirror: Pod): PodCondition {
  const { namespace = "", name = "" } = mirror.metadata;
  return { type: REALIZED_CONDITION, status: "True", reason: Reasons.created, message: Messages.realized(namespace, name) };
}

// A message the realizer wrote while the pod could not be realized must not
// outlive that state.
function withoutRealizerMessage(mirror: Pod): PodStatus {
  const realized = findCondition(mirror.status.conditions, REALIZED_CONDITION);
  if (realized?.status === "False" && mirror.status.message === realized.message) return { ...mirror.status, message: undefined };
  return mirror.status;
}

/**
 * The status as it will be stored: parsed by the schema (defaults filled,
 * unknown fields of the real Pod's status dropped, as the CRD would prune
 * them) and with the display fields computed. Throws if the real Pod's
 * status does not fit the mirror schema, which would be a schema bug.
 */
function withDisplay(mirror: Pod, status: PodStatus): PodStatus {
  const parsed = PodStatusSchema.parse(withoutNulls(status));
  const display = podDisplay({ spec: mirror.spec, status: parsed, deletionTimestamp: mirror.metadata.deletionTimestamp });
  return { ...parsed, ...display };
}

/** The API server writes an unset time as null (lastProbeTime: null); the schema knows it as absent. */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== "object") return value;
  const kept = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
  return Object.fromEntries(kept.map(([k, v]) => [k, withoutNulls(v)])) as T;
}

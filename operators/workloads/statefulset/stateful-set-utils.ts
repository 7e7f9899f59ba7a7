// A StatefulSet's pods: their identity (name, ordinal, labels, hostname),
// their storage, their health as the controller judges it, and a new pod at
// a revision (upstream stateful_set_utils.go). Pure.
import type { PodTemplateSpec, Pod, StatefulSet, Volume } from "../../api/index.ts";
import { isPodAvailable, isPodReady, newControllerRef, podFromTemplate } from "../common/index.ts";
import type { NewPod } from "../common/index.ts";
import { scaledValue } from "../deployment/util/fenceposts.ts";
import { POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_LABEL, STATEFUL_SET_KIND } from "./names.ts";

const INT32_MAX = 2 ** 31 - 1;

/**
 * The parent StatefulSet's name and the ordinal in a pod's name, by
 * upstream's `(.*)-([0-9]+)$`; ordinal -1 when the name has none (or one
 * past int32, which Go's ParseInt refuses).
 */
export function parentNameAndOrdinal(name: string): { parent: string; ordinal: number } {
  const m = /^(.*)-([0-9]+)$/.exec(name);
  if (!m) return { parent: "", ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1] ?? "", ordinal: n <= INT32_MAX ? n : -1 };
}

export function getOrdinal(pod: Pod): number {
  return parentNameAndOrdinal(pod.metadata.name ?? "").ordinal;
}

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** The last ordinal, inclusive (start - 1 when replicas is 0). */
export function endOrdinal(set: StatefulSet): number {
  return startOrdinal(set) + set.spec.replicas - 1;
}

export function ordinalInRange(set: StatefulSet, ordinal: number): boolean {
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name ?? ""}-${ordinal}`;
}

/** The pod's name says it belongs to the set (upstream isMemberOf). */
export function isMemberOf(set: StatefulSet, pod: { metadata?: { name?: string } }): boolean {
  return parentNameAndOrdinal(pod.metadata?.name ?? "").parent === set.metadata.name;
}

/** The labels that give a pod its identity (upstream updateIdentity). */
export function identityLabels(name: string, ordinal: number): Record<string, string> {
  return { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** Upstream identityMatches: the name, the namespace and the pod-name label are the set's for this ordinal. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const name = pod.metadata.name ?? "";
  const { parent, ordinal } = parentNameAndOrdinal(name);
  return (
    ordinal >= 0 &&
    parent === set.metadata.name &&
    name === podName(set, ordinal) &&
    pod.metadata.namespace === set.metadata.namespace &&
    pod.metadata.labels?.[POD_NAME_LABEL] === name
  );
}

/** The claim a pod of this ordinal mounts for a volumeClaimTemplate: `<template>-<set>-<ordinal>`. */
export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata.name ?? ""}-${ordinal}`;
}

/** The names of the set's volumeClaimTemplates, in order. */
export function claimTemplateNames(set: StatefulSet): string[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? "");
}

/** Upstream storageMatches: every claim template has a volume of its name mounting this ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec.volumes ?? []).map((v) => [v.name, v]));
  return claimTemplateNames(set).every((t) => volumes.get(t)?.persistentVolumeClaim?.claimName === claimName(set, t, ordinal));
}

/**
 * Upstream updateStorage: a volume per claim template, named after it,
 * mounting this ordinal's claim (in template order, where upstream's map
 * iteration has none), then the pod's other volumes; a volume of the same
 * name as a template is replaced.
 */
export function withClaimVolumes(set: StatefulSet, ordinal: number, volumes: readonly Volume[] | undefined): Volume[] | undefined {
  const templates = claimTemplateNames(set);
  if (templates.length === 0) return volumes && [...volumes];
  const claims: Volume[] = templates.map((t) => ({ name: t, persistentVolumeClaim: { claimName: claimName(set, t, ordinal) } }));
  return [...claims, ...(volumes ?? []).filter((v) => !templates.includes(v.name))];
}

/** The revision a pod was made from: its controller-revision-hash label, "" when it has none. */
export function podRevision(pod: Pod): string {
  return pod.metadata.labels?.[REVISION_LABEL] ?? "";
}

export function isTerminating(pod: Pod): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status.phase === "Running" && isPodReady(pod);
}

/** Upstream isRunningAndAvailable (despite its name, IsPodAvailable alone: Ready for minReadySeconds). */
export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** Counted against maxUnavailable: not available, or on its way out. A pod not yet created is unavailable too. */
export function isUnavailable(pod: Pod | undefined, minReadySeconds: number, now: Date): boolean {
  return !pod || !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);
}

export function isFinished(pod: Pod): boolean {
  return pod.status.phase === "Failed" || pod.status.phase === "Succeeded";
}

/** OrderedReady creates, updates and deletes one pod at a time; Parallel bursts (upstream allowsBurst). */
export function isMonotonic(set: StatefulSet): boolean {
  return set.spec.podManagementPolicy !== "Parallel";
}

/**
 * Upstream getStatefulSetMaxUnavailable: spec.updateStrategy.rollingUpdate.maxUnavailable
 * (default 1) against the replica count, a percentage rounded down, at least 1.
 */
export function maxUnavailable(set: StatefulSet): number {
  const value = set.spec.updateStrategy.rollingUpdate?.maxUnavailable ?? 1;
  return Math.max(1, scaledValue(value, set.spec.replicas, false));
}

/** The rolling update's partition: ordinals below start + partition keep the current revision. */
export function partition(set: StatefulSet): number {
  return set.spec.updateStrategy.type === "RollingUpdate" ? (set.spec.updateStrategy.rollingUpdate?.partition ?? 0) : 0;
}

/**
 * A new pod for `ordinal` from `template` (the template of the revision it
 * is made at), as upstream newStatefulSetPod and setPodRevision make it: the
 * template's labels, annotations and spec, the name `<set>-<ordinal>`, the
 * identity and revision labels, hostname and subdomain (the governing
 * Service), the claim volumes, and the set as controller.
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec, ordinal: number, revision: string): NewPod {
  const name = podName(set, ordinal);
  const namespace = set.metadata.namespace ?? "";
  const pod = podFromTemplate(template, { name: set.metadata.name ?? "", namespace }, newControllerRef(set, STATEFUL_SET_KIND));
  const { generateName: _generateName, ...metadata } = pod.metadata ?? {};
  const volumes = withClaimVolumes(set, ordinal, pod.spec.volumes);
  const serviceName = set.spec.serviceName;
  return {
    ...pod,
    metadata: { ...metadata, name, labels: { ...metadata.labels, ...identityLabels(name, ordinal), [REVISION_LABEL]: revision } },
    spec: { ...pod.spec, hostname: name, ...(serviceName && { subdomain: serviceName }), ...(volumes && { volumes }) },
  };
}

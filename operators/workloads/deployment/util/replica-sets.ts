import type { Deployment, PodTemplateSpec, ReplicaSet } from "../../../api/index.ts";
import { maxReplicasAnnotation, desiredReplicasAnnotation } from "./annotations.ts";
import { POD_TEMPLATE_HASH_LABEL } from "./constants.ts";
import { maxSurge, scaledValue } from "./fenceposts.ts";
import { canonicalJson } from "./hash.ts";
import { revisionOf } from "./history.ts";

// What upstream's deployment_util.go and controller_utils.go know about a
// Deployment's ReplicaSets: which one is new, how they sort, what they add up to.

function withoutHashLabel(t: PodTemplateSpec): PodTemplateSpec {
  const labels = { ...t.metadata?.labels };
  delete labels[POD_TEMPLATE_HASH_LABEL];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/**
 * Template equality ignoring pod-template-hash (upstream EqualIgnoreHash):
 * the label is the only thing a Deployment adds to the template it stamps a
 * ReplicaSet with, and its value may change with how the hash is computed.
 */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonicalJson(withoutHashLabel(a)) === canonicalJson(withoutHashLabel(b));
}

function creationMillis(rs: ReplicaSet): number {
  const t = rs.metadata.creationTimestamp;
  // Go's zero time sorts before every real one.
  return t ? Date.parse(t) : Number.NEGATIVE_INFINITY;
}

/** Oldest first; ties by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = creationMillis(a) - creationMillis(b);
  if (d !== 0 && !Number.isNaN(d)) return d;
  return compareNames(a, b);
}

function compareNames(a: ReplicaSet, b: ReplicaSet): number {
  const x = a.metadata.name ?? "";
  const y = b.metadata.name ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Largest first; ties older first (controller.ReplicaSetsBySizeOlder): whom to shrink first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return b.spec.replicas - a.spec.replicas || byCreationTimestamp(a, b);
}

/** Largest first; ties newer first (controller.ReplicaSetsBySizeNewer): whom to grow first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return b.spec.replicas - a.spec.replicas || byCreationTimestamp(b, a);
}

/** Lowest revision first; malformed or equal revisions by age (upstream ReplicaSetsByRevision). */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const x = revisionOf(a);
  const y = revisionOf(b);
  if (x === undefined || y === undefined || x === y) return byCreationTimestamp(a, b);
  return x - y;
}

/**
 * The ReplicaSet whose template is the Deployment's (upstream
 * FindNewReplicaSet). There can be more than one after, e.g., an upgrade
 * that changed how templates default; the oldest one wins, deterministically.
 */
export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** Every ReplicaSet but the new one, in the given order (upstream FindOldReplicaSets' second result). */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(d, rss);
  return rss.filter((rs) => rs !== newRS);
}

/** ReplicaSets asked to run pods (controller.FilterActiveReplicaSets). */
export function filterActive(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && rs.spec.replicas > 0);
}

function sum(rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number | undefined): number {
  let n = 0;
  for (const rs of rss) if (rs) n += f(rs) ?? 0;
  return n;
}

/** Σ spec.replicas: what the ReplicaSets are asked to run. */
export const specReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.spec.replicas);
/** Σ status.replicas: what they run. */
export const actualReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.replicas);
export const readyReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.readyReplicas);
export const availableReplicas = (rss: readonly (ReplicaSet | undefined)[]) => sum(rss, (rs) => rs.status?.availableReplicas);

/**
 * The only active ReplicaSet, or the newest if none is active; undefined when
 * more than one is active (then they scale proportionally). Upstream
 * FindActiveOrLatest, which also leaves the old ones sorted newest first.
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  oldRSs.sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActive([...oldRSs, newRS]);
  if (active.length === 0) return newRS ?? oldRSs[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs all the Deployment's replicas, available, at the current scale (upstream IsSaturated). */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = d.spec.replicas;
  return rs.spec.replicas === replicas && desiredReplicasAnnotation(rs) === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

/**
 * The size of the new ReplicaSet in this rollout step (upstream
 * NewRSNewReplicas): RollingUpdate grows it while all ReplicaSets together
 * stay within replicas + maxSurge and it stays within replicas; Recreate
 * goes straight to replicas.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const replicas = d.spec.replicas;
  if (d.spec.strategy.type === "Recreate") return replicas;
  const maxTotal = replicas + scaledValue(d.spec.strategy.rollingUpdate?.maxSurge, replicas, true);
  const current = specReplicas(allRSs);
  if (current >= maxTotal) return newRS.spec.replicas;
  return newRS.spec.replicas + Math.min(maxTotal - current, replicas - newRS.spec.replicas);
}

/** Go's math.Round: halves away from zero (Math.round rounds -2.5 to -2). */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * This ReplicaSet's share of a scaling event (upstream getReplicaSetFraction):
 * its size scaled by the Deployment's new maximum over the maximum it was
 * last scaled at (the max-replicas annotation; without one, the
 * Deployment's status.replicas).
 */
export function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (d.spec.replicas === 0) return -rs.spec.replicas;
  const maxNow = d.spec.replicas + maxSurge(d);
  let maxBefore = maxReplicasAnnotation(rs);
  if (maxBefore === undefined || maxBefore === 0) {
    maxBefore = d.status?.replicas ?? 0;
    // Scaled to 0 before: nothing to scale from.
    if (maxBefore === 0) return 0;
  }
  return goRound((rs.spec.replicas * maxNow) / maxBefore) - rs.spec.replicas;
}

/**
 * How many replicas this ReplicaSet gains (or loses) in a proportional
 * scale, never overshooting what is left to distribute (upstream
 * GetReplicaSetProportion). An empty ReplicaSet never grows from nothing.
 */
export function replicaSetProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// Which pods a ReplicaSet removes first when it scales down (upstream
// pkg/controller/controller_utils.go ActivePodsWithRanks.Less, with the
// PodDeletionCost and LogarithmicScaleDown behaviour of current releases).
import type { Pod } from "../../api/index.ts";
import { isPodActive, isPodReady, maxContainerRestarts, podDeletionCost, podReadyTime } from "../common/index.ts";

/** A pod and its rank: how many active pods of the same owner share its node. */
export interface RankedPod {
  pod: Pod;
  rank: number;
}

// Phases outside the map (terminal ones, which active pods never have) rank as
// Pending, as a Go map lookup of a missing key gives 0.
const phaseOrdinal: Partial<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** Everything the order looks at, computed once per pod rather than once per comparison. */
interface DeletionKey {
  nodeName: string;
  phase: number;
  ready: boolean;
  cost: number;
  rank: number;
  /** Epoch ms; undefined is upstream's zero time. */
  readySince: number | undefined;
  restarts: number;
  created: number | undefined;
  uid: string;
}

function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

function deletionKey({ pod, rank }: RankedPod): DeletionKey {
  return {
    nodeName: pod.spec.nodeName ?? "",
    phase: phaseOrdinal[pod.status.phase] ?? 0,
    ready: isPodReady(pod),
    cost: podDeletionCost(pod.metadata.annotations),
    rank,
    readySince: parseTime(podReadyTime(pod)),
    restarts: maxContainerRestarts(pod),
    created: parseTime(pod.metadata.creationTimestamp),
    uid: pod.metadata.uid ?? "",
  };
}

/** t1 is more recent than t2, where a zero time counts as the most recent (upstream afterOrZero). */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/**
 * floor(log2(age in nanoseconds)), -1 for no age: upstream compares ages in
 * powers of two, so pods of about the same age are picked pseudo-randomly
 * (by UID) instead of always the newest.
 */
function logBucket(t: number, nowMs: number): number {
  const ageMs = nowMs - t;
  return ageMs > 0 ? Math.floor(Math.log2(ageMs * 1e6)) : -1;
}

/** Upstream's timestamp rule: more recent first, in log2 buckets of age, ties in a bucket by UID. */
function moreRecentFirst(a: DeletionKey, b: DeletionKey, ta: number | undefined, tb: number | undefined, nowMs: number): boolean {
  if (ta === undefined || tb === undefined) return afterOrZero(ta, tb);
  const diff = logBucket(ta, nowMs) - logBucket(tb, nowMs);
  return diff === 0 ? a.uid < b.uid : diff < 0;
}

/** Upstream Less: whether `a` should be deleted before `b`. */
function less(a: DeletionKey, b: DeletionKey, nowMs: number): boolean {
  // 1. Unassigned before assigned.
  if (a.nodeName !== b.nodeName && (a.nodeName === "" || b.nodeName === "")) return a.nodeName === "";
  // 2. Pending, then Unknown, then Running.
  if (a.phase !== b.phase) return a.phase < b.phase;
  // 3. Not ready before ready.
  if (a.ready !== b.ready) return !a.ready;
  // 4. Lower pod-deletion-cost first.
  if (a.cost !== b.cost) return a.cost < b.cost;
  // 5. Doubled up (more pods of the owner on its node) first.
  if (a.rank !== b.rank) return a.rank > b.rank;
  // 6. Ready more recently first (both ready; a zero time counts as most recent).
  if (a.ready && b.ready && a.readySince !== b.readySince) return moreRecentFirst(a, b, a.readySince, b.readySince, nowMs);
  // 7. More container restarts first.
  if (a.restarts !== b.restarts) return a.restarts > b.restarts;
  // 8. Created more recently first.
  if (a.created !== b.created) return moreRecentFirst(a, b, a.created, b.created, nowMs);
  return false;
}

/**
 * A comparator for Array.sort: negative when `a` goes first. Pods upstream's
 * order cannot tell apart (upstream leaves them in whatever order its sort
 * produces) are ordered by UID, so the choice is deterministic.
 */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: Date): number {
  return compareKeys(deletionKey(a), deletionKey(b), now.getTime());
}

function compareKeys(a: DeletionKey, b: DeletionKey, nowMs: number): number {
  if (less(a, b, nowMs)) return -1;
  if (less(b, a, nowMs)) return 1;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

/**
 * Ranks each pod by the active pods of `relatedPods` on its node
 * (upstream getPodsRankedByRelatedPodsOnSameNode; unassigned pods share the
 * node ""). relatedPods are the pods of every ReplicaSet with the same
 * controller; upstream passes none for a ReplicaSet without one.
 */
export function rankBySameNode(pods: readonly Pod[], relatedPods: readonly Pod[]): RankedPod[] {
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const node = p.spec.nodeName ?? "";
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? "") ?? 0 }));
}

/** `pods` in deletion order: the ones to delete first come first. */
export function sortForDeletion(pods: readonly Pod[], relatedPods: readonly Pod[], now: Date): Pod[] {
  const nowMs = now.getTime();
  const keyed = rankBySameNode(pods, relatedPods).map((r) => ({ pod: r.pod, key: deletionKey(r) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, nowMs));
  return keyed.map((k) => k.pod);
}

// What a ReplicaSet does next about its pod count (upstream manageReplicas),
// as a pure decision: create some, delete some (in the order upstream picks
// them), or nothing.
import type { Pod, ReplicaSet } from "../../api/index.ts";
import { filterActivePods } from "../common/index.ts";
import { sortForDeletion } from "./active-pods-with-ranks.ts";

/**
 * At most this many creations or deletions per sync (upstream BurstReplicas):
 * the rest waits until the cache has observed these, so one sync never floods
 * the API server and a stale cache never multiplies a mistake.
 */
export const BURST_REPLICAS = 500;

export type ReplicasPlan = { kind: "none" } | { kind: "create"; count: number } | { kind: "delete"; pods: Pod[] };

export interface PlanOptions {
  /** The pods of every ReplicaSet with this one's controller, for the doubled-up rank (none for a ReplicaSet without a controller, as upstream). */
  relatedPods?: readonly Pod[];
  burstReplicas?: number;
}

/**
 * Compares the active pods among `pods` (the ReplicaSet's claimed pods) with
 * spec.replicas. Too few: create the difference, capped at the burst. Too
 * many: delete the difference, capped at the burst, taking the pods that rank
 * first for deletion (upstream getPodsToDelete).
 */
export function planReplicas(rs: ReplicaSet, pods: readonly Pod[], now: Date, options: PlanOptions = {}): ReplicasPlan {
  const { relatedPods = [], burstReplicas = BURST_REPLICAS } = options;
  const active = filterActivePods(pods);
  const diff = active.length - rs.spec.replicas;
  if (diff < 0) return { kind: "create", count: Math.min(-diff, burstReplicas) };
  if (diff > 0) {
    const count = Math.min(diff, burstReplicas);
    // Deleting them all needs no choice (upstream skips the sort too).
    const ordered = count < active.length ? sortForDeletion(active, relatedPods, now) : active;
    return { kind: "delete", pods: ordered.slice(0, count) };
  }
  return { kind: "none" };
}

import type { Pod, ReplicaSet } from "../../api/index.ts";
import type { PlanContext } from "./plan-context.ts";
import { syncRolloutStatus } from "./progress.ts";
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision } from "./sync.ts";
import { deploymentComplete } from "./util/conditions.ts";
import { actualReplicas, filterActive } from "./util/replica-sets.ts";

// Upstream recreate.go: every old pod is gone before the first new one is
// asked for. Old ReplicaSets go to 0; the new one is created (at full size)
// only once none of them reports a pod and no old pod is still running.

export function rolloutRecreate(ctx: PlanContext): void {
  // Not created yet, so nothing scales up before the old pods are down.
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, false);
  let allRSs = [...oldRSs, newRS];

  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) scaledDown = ctx.scaleReplicaSetAndRecordEvent(rs, 0).scaled || scaledDown;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, podsByOwner(ctx))) {
    syncRolloutStatus(ctx, allRSs, newRS);
    return;
  }

  if (!newRS) {
    ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(ctx, true));
    allRSs = [...oldRSs, newRS];
  }
  if (newRS) ctx.scaleReplicaSetAndRecordEvent(newRS, ctx.d.spec.replicas);
  if (deploymentComplete(ctx.d, ctx.status)) cleanupDeployment(ctx, oldRSs);
  syncRolloutStatus(ctx, allRSs, newRS);
}

/**
 * The Deployment's pods by the UID of the ReplicaSet controlling them, for
 * the ReplicaSets it had when the plan started (upstream
 * getPodMapForDeployment). Inactive pods are kept: a pod on its way out
 * still runs.
 */
function podsByOwner(ctx: PlanContext): Map<string, Pod[]> {
  const map = new Map<string, Pod[]>();
  for (const rs of ctx.rsList) if (rs.metadata.uid) map.set(rs.metadata.uid, []);
  for (const pod of ctx.pods) {
    const uid = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    if (uid !== undefined) map.get(uid)?.push(pod);
  }
  return map;
}

/**
 * Whether an old ReplicaSet still reports pods, or an old pod is not yet
 * finished (upstream oldPodsRunning). Unknown counts as running: the node
 * may be unreachable with the pod still up.
 */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicas(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS?.metadata.uid !== undefined && newRS.metadata.uid === uid) continue;
    if (pods.some((p) => p.status.phase !== "Failed" && p.status.phase !== "Succeeded")) return true;
  }
  return false;
}

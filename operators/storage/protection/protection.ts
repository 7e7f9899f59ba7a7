// Storage object in-use protection (upstream pkg/controller/volume/
// pvcprotection and pvprotection, and the StorageObjectInUseProtection
// admission plugin that adds the finalizers): a claim a scheduled Pod uses,
// and a volume that is Bound, are not removed until that stops. Pure.
import type { RawObject } from "../resources.ts";

export type FinalizerChange = "add" | "remove" | undefined;

function decide(obj: RawObject, finalizer: string, inUse: boolean): FinalizerChange {
  const has = obj.metadata?.finalizers?.includes(finalizer) ?? false;
  // No admission plugin adds it to mirror objects at creation: the controller does, as upstream's also would.
  if (!obj.metadata?.deletionTimestamp) return has ? undefined : "add";
  return has && !inUse ? "remove" : undefined;
}

/** A claim is in use while a Pod that names it is scheduled (upstream podUsesPVC: the kubelet may be using it). */
export function claimProtection(claim: RawObject, pods: readonly RawObject[], finalizer: string): FinalizerChange {
  const inUse = pods.some((p) => !!(p.spec as { nodeName?: string } | undefined)?.nodeName);
  return decide(claim, finalizer, inUse);
}

/** A volume is in use while it is Bound (upstream isVolumeUsed). */
export function volumeProtection(volume: RawObject, finalizer: string): FinalizerChange {
  return decide(volume, finalizer, (volume.status as { phase?: string } | undefined)?.phase === "Bound");
}

/** The merge patch that makes the change, conditional on the version it was decided on. */
export function finalizerPatch(obj: RawObject, finalizer: string, change: "add" | "remove"): Record<string, unknown> {
  const current = obj.metadata?.finalizers ?? [];
  const finalizers = change === "add" ? [...current, finalizer] : current.filter((f) => f !== finalizer);
  return { metadata: { resourceVersion: obj.metadata?.resourceVersion, finalizers } };
}

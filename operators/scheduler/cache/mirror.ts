// How a real v1 Pod is recognised as the runtime of a mirror Pod: the pod
// realizer creates it with the mirror Pod's namespace and name, the label
// mirrorkube.dev/pod=<name> and a controller owner reference to the mirror
// Pod. Both objects describe one workload, so the node cache counts it once.
import type { PodLike } from "../framework/objects.ts";

export const MIRROR_POD_LABEL = "mirrorkube.dev/pod";
export const MIRROR_POD_API_VERSION = "core.mirrorkube.dev/v1alpha1";

/** Whether `real` is the realized Pod of `mirror`. A uid mismatch means a stale real Pod of an earlier mirror Pod of that name. */
export function isRealizationOf(real: PodLike, mirror: PodLike): boolean {
  const name = mirror.metadata?.name;
  if (!name || real.metadata?.name !== name || real.metadata?.namespace !== mirror.metadata?.namespace) return false;
  if (real.metadata?.labels?.[MIRROR_POD_LABEL] !== name) return false;
  const owner = real.metadata?.ownerReferences?.find((o) => o.controller === true);
  if (!owner || owner.kind !== "Pod" || owner.apiVersion !== MIRROR_POD_API_VERSION || owner.name !== name) return false;
  const uid = mirror.metadata?.uid;
  return !uid || !owner.uid || owner.uid === uid;
}

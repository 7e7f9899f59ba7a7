// How a mirror Pod's volumes become the real Pod's. Most sources mean the
// same on both sides and pass through. A persistentVolumeClaim names a
// mirror claim, which the storage controllers bind to a mirror PV; turning
// that into a volume the real kubelet can mount is their business, so it
// comes in through a VolumeTranslator (see PodRealizerOptions);
// claimVolumeTranslator is the one mirrorkube registers.
import type { PersistentVolume, PersistentVolumeClaim, Pod, Volume } from "../../api/index.ts";
import { ANN_REAL_CLAIM } from "../../storage/names.ts";

export type VolumeTranslation =
  | { ok: true; volume: Volume }
  /** Not yet: the real Pod waits (for example for a claim to be bound), and the mirror Pod says why. */
  | { ok: false; message: string };

export type VolumeTranslator = (volume: Volume, mirror: Pod) => VolumeTranslation;

/** Every volume as written, claims included (a real claim of the same name, if any, is used). */
export const passThroughVolumes: VolumeTranslator = (volume) => ({ ok: true, volume });

export type VolumesResult = { ok: true; volumes: Volume[] | undefined } | { ok: false; message: string };

export function translateVolumes(mirror: Pod, translate: VolumeTranslator): VolumesResult {
  if (!mirror.spec.volumes) return { ok: true, volumes: undefined };
  const volumes: Volume[] = [];
  for (const v of mirror.spec.volumes) {
    const t = translate(v, mirror);
    if (!t.ok) return { ok: false, message: `volume "${v.name}": ${t.message}` };
    volumes.push(t.volume);
  }
  return { ok: true, volumes };
}

/** The mirror claims and volumes the translation reads (the storage informers' caches). */
export interface ClaimLookup {
  claim(namespace: string, name: string): PersistentVolumeClaim | undefined;
  volume(name: string): PersistentVolume | undefined;
}

/**
 * A mirror Pod volume that names a mirror claim becomes what the claim's PV
 * is on the real side: the real v1 claim the PV names in its
 * mirrorkube.dev/real-claim annotation (clusters with real storage), or
 * else its hostPath (or local path) as a hostPath volume on the node (the
 * scheduler put the pod where the PV's node affinity allows), or else an
 * nfs source as is. Until the claim is bound the real Pod waits, with the
 * kubelet's and the scheduler's words for why. Other volumes pass through.
 */
export function claimVolumeTranslator(lookup: ClaimLookup): VolumeTranslator {
  return (volume, mirror) => {
    const source = volume.persistentVolumeClaim;
    if (!source) return { ok: true, volume };
    const namespace = mirror.metadata.namespace ?? "";
    const claimName = source.claimName;
    const claim = lookup.claim(namespace, claimName);
    if (!claim) return { ok: false, message: `persistentvolumeclaim "${claimName}" not found` };
    if (claim.metadata.deletionTimestamp) return { ok: false, message: `persistentvolumeclaim "${claimName}" is being deleted` };
    const volumeName = claim.spec.volumeName ?? "";
    if (claim.status.phase === "Lost") return { ok: false, message: `persistentvolumeclaim "${claimName}" bound to non-existent persistentvolume "${volumeName}"` };
    if (claim.status.phase !== "Bound" || !volumeName) {
      return { ok: false, message: `PVC ${namespace}/${claimName} has non-bound phase ("${claim.status.phase}") or empty pvc.Spec.VolumeName ("${volumeName}")` };
    }
    const pv = lookup.volume(volumeName);
    if (!pv) return { ok: false, message: `persistentvolume "${volumeName}" not found` };
    if (pv.spec.claimRef?.uid !== claim.metadata.uid) return { ok: false, message: `persistentvolume "${volumeName}" is not bound to persistentvolumeclaim "${claimName}"` };
    const realClaim = pv.metadata.annotations?.[ANN_REAL_CLAIM];
    if (realClaim) return { ok: true, volume: { name: volume.name, persistentVolumeClaim: { claimName: realClaim, ...(source.readOnly !== undefined && { readOnly: source.readOnly }) } } };
    const path = pv.spec.hostPath?.path ?? pv.spec.local?.path;
    if (path) {
      // A node-local path means nothing to kube-scheduler, which would place the real Pod anywhere.
      if (!mirror.spec.nodeName && pv.spec.nodeAffinity?.required) {
        return { ok: false, message: `persistentvolume "${volumeName}" is local to a node: a Pod that kube-scheduler places cannot use it` };
      }
      const type = pv.spec.hostPath?.type || "DirectoryOrCreate";
      return { ok: true, volume: { name: volume.name, hostPath: { path, type } } };
    }
    if (pv.spec.nfs !== undefined) return { ok: true, volume: { name: volume.name, nfs: pv.spec.nfs } as Volume };
    return { ok: false, message: `persistentvolume "${volumeName}" has no source a Pod can mount (hostPath, local, nfs, or the ${ANN_REAL_CLAIM} annotation)` };
  };
}

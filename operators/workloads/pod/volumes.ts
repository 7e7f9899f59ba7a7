// How a mirror Pod's volumes become the real Pod's. Most sources mean the
// same on both sides and pass through. A persistentVolumeClaim names a
// mirror claim, which the storage controllers bind to a mirror PV; turning
// that into a volume the real kubelet can mount is their business, so it
// comes in through a VolumeTranslator (see PodRealizerOptions).
import type { Pod, Volume } from "../../api/index.ts";

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

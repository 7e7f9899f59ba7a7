// The shared informers the storage controllers, the realizer's claim
// translation and the scheduler's VolumeBinding read, and parsing their
// objects once per version.
import { kinds, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from "../api/index.ts";
import type { Informer } from "../runtime/informer/informer.ts";
import type { Manager } from "../runtime/manager/manager.ts";
import { cachedParser } from "../workloads/common/index.ts";
import { mirrorPods, persistentVolumeClaims, persistentVolumes, podClaimKeys, PODS_BY_CLAIM_INDEX, storageClasses, type RawObject } from "./resources.ts";

function lenient<T>(parse: (raw: object) => { ok: true; value: T } | { ok: false }): (raw: RawObject | undefined) => T | undefined {
  return (raw) => {
    if (!raw) return undefined;
    const result = parse(raw);
    return result.ok ? result.value : undefined;
  };
}

/** Parsed, memoised per object version; undefined for a missing or malformed object. */
export const parseVolume = lenient<PersistentVolume>(cachedParser(kinds.PersistentVolume));
export const parseClaim = lenient<PersistentVolumeClaim>(cachedParser(kinds.PersistentVolumeClaim));
export const parseClass = lenient<StorageClass>(cachedParser(kinds.StorageClass));

export interface StorageInformers {
  volumes: Informer<RawObject>;
  claims: Informer<RawObject>;
  classes: Informer<RawObject>;
  /** Mirror Pods, indexed by the claims they use (PODS_BY_CLAIM_INDEX). */
  pods: Informer<RawObject>;
}

export function storageInformers(mgr: Manager): StorageInformers {
  const pods = mgr.informerFor<RawObject>(mirrorPods);
  pods.addIndexer(PODS_BY_CLAIM_INDEX, podClaimKeys);
  return {
    volumes: mgr.informerFor<RawObject>(persistentVolumes),
    claims: mgr.informerFor<RawObject>(persistentVolumeClaims),
    classes: mgr.informerFor<RawObject>(storageClasses),
    pods,
  };
}

// Storage: PV/PVC binding (persistentvolume-binder), the hostpath
// provisioner, and in-use protection of claims and volumes; plus what the
// scheduler's VolumeBinding and the realizer's claim translation share.
export { AssumeCache, versionOf } from "./assume-cache.ts";
export { parseClaim, parseClass, parseVolume, storageInformers } from "./caches.ts";
export { isClaimFullyBound, volumeFitsNode } from "./helpers.ts";
export * as storageNames from "./names.ts";
export { claimRefOf, volumeBindPatch } from "./persistentvolume/actions.ts";
export { PV_BINDER, registerPersistentVolumeBinder } from "./persistentvolume/controller.ts";
export { PV_PROTECTION, PVC_PROTECTION, registerPvcProtection, registerPvProtection } from "./protection/controller.ts";
export { registerHostPathProvisioner, type HostPathProvisionerOptions } from "./provisioner/controller.ts";
export { DEFAULT_CLEANUP_IMAGE, DEFAULT_HOSTPATH_ROOT, HOSTPATH_PROVISIONER_CONTROLLER } from "./provisioner/names.ts";
export { persistentVolumeClaims, persistentVolumes, PODS_BY_CLAIM_INDEX, type RawObject } from "./resources.ts";

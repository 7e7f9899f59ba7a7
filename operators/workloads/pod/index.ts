// The pod realizer: turns each bound mirror Pod into a real v1 Pod and
// mirrors the real Pod's status back.
export { registerPodRealizer, type PodRealizerOptions } from "./controller.ts";
export { DEFAULT_NODE_LOST_GRACE_MS } from "./node-health.ts";
export { KUBE_SCHEDULER, POD_REALIZER, REAL_POD_LABEL, REALIZED_CONDITION, REALIZER_FINALIZER, Reasons } from "./names.ts";
export { claimVolumes, type ClaimVolumes } from "./claims.ts";
export { claimVolumeTranslator, passThroughVolumes, type ClaimLookup, type VolumeTranslation, type VolumeTranslator } from "./volumes.ts";

// What the workload controllers (ReplicaSet, Deployment, StatefulSet) share.
export { findCondition, formatTime, withoutCondition } from "./conditions.ts";
export { ClaimError, ControllerRefManager, adoptionPatch, decideClaim, recheckDeletionTimestamp, releasePatch } from "./controller-ref-manager.ts";
export type { ClaimDecision, ClaimableObject, ControllerRefManagerOptions } from "./controller-ref-manager.ts";
export { apiGroupOf, getControllerOf, isControlledBy, newControllerRef } from "./controller-ref.ts";
export type { OwnerKind, OwnerObject } from "./controller-ref.ts";
export { POD_DELETION_COST_ANNOTATION, parseDeletionCost, podDeletionCost } from "./deletion-cost.ts";
export type { DeletionCost } from "./deletion-cost.ts";
export { formatLabelSelector } from "./label-selector.ts";
export { cachedParser } from "./parse-cache.ts";
export type { CachedParser } from "./parse-cache.ts";
export { filterActivePods, isPodActive, isPodAvailable, isPodReady, maxContainerRestarts, podReadyCondition, podReadyTime } from "./pod.ts";
export { semanticEqual, updateStatusIfChanged } from "./status.ts";
export type { StatusWriter } from "./status.ts";
export { podFromTemplate } from "./pod-template.ts";
export type { NewPod } from "./pod-template.ts";
export { INVALID_OBJECT_REASON, InvalidObjectReporter } from "./invalid-object.ts";
export type { InvalidObjectEvents } from "./invalid-object.ts";

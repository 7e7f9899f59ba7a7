// The pure core of mirrorkube's scheduler: framework (plugins, one
// scheduling cycle, the extender verbs), node cache and scheduling queue.
// The controller, binder, events and the extender HTTP server build on these.
export { SchedulerCache } from "./cache/cache.ts";
export type { CountedPod, SchedulerCacheOptions } from "./cache/cache.ts";
export { isRealizationOf, MIRROR_POD_API_VERSION, MIRROR_POD_LABEL } from "./cache/mirror.ts";
export * from "./framework/events.ts";
export { extenderFilter, extenderPrioritize, MAX_EXTENDER_PRIORITY } from "./framework/extender.ts";
export type { ExtenderFilterResult, HostPriority } from "./framework/extender.ts";
export { fitErrorMessage, NO_NODES_AVAILABLE, truncateMessage } from "./framework/fit-error.ts";
export type { Diagnosis } from "./framework/fit-error.ts";
export { CycleState, isRejected, MAX_NODE_SCORE, status, statusMessage } from "./framework/interface.ts";
export type { Code, CycleContext, NodeScore, Plugin, PreFilterOutcome, Status } from "./framework/interface.ts";
export { NodeInfo } from "./framework/node-info.ts";
export * from "./framework/objects.ts";
export { affinityTermMatches, podInfoOf } from "./framework/pod-info.ts";
export type { AffinityTerm, HostPort, NamespaceLabels, PodInfo, WeightedAffinityTerm } from "./framework/pod-info.ts";
export * as PluginNames from "./framework/plugins/names.ts";
export type { FitArgs, ScoringStrategy } from "./framework/plugins/noderesources/fit.ts";
export type { ResourceSpec } from "./framework/plugins/noderesources/resource-allocation.ts";
export { DEFAULT_WEIGHTS, newProfile } from "./framework/profile.ts";
export type { PluginsConfig, Profile } from "./framework/profile.ts";
export { computeNonZeroRequests, computePodRequests } from "./framework/resource.ts";
export type { Resource } from "./framework/resource.ts";
export { numFeasibleNodesToFind, schedulePod, SchedulingError, selectHost } from "./framework/schedule-one.ts";
export type { NodeScoreDetail, Random, ScheduleOptions, ScheduleResult, SchedulingFailure } from "./framework/schedule-one.ts";
export { newSnapshot, snapshotFromObjects } from "./framework/snapshot.ts";
export type { Snapshot } from "./framework/snapshot.ts";
export { defaultPluginEvents, isPodUpdated, SchedulingQueue } from "./queue/scheduling-queue.ts";
export type { QueueContents, QueuedPodInfo, SchedulingQueueOptions } from "./queue/scheduling-queue.ts";

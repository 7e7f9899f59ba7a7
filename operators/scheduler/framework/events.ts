// Cluster events that can make an unschedulable pod schedulable (upstream
// framework.ClusterEvent / ActionType). Plugins register the events that
// matter to them; the scheduling queue moves a parked pod only when one of
// the plugins that rejected it registered the event.
import type { NodeLike, PodLike } from "./objects.ts";
import { isTerminal } from "./objects.ts";
import { computePodRequests } from "./resource.ts";

export type EventResource = "Node" | "Pod" | "PersistentVolume" | "PersistentVolumeClaim" | "StorageClass";

/** Bit flags, as upstream's ActionType. Pod events are about pods already bound to nodes. */
export const Action = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodOther: 1 << 10,
  /** Any update of a resource whose updates are not told apart (the storage objects). */
  Update: 1 << 11,
} as const;

export const ALL_ACTIONS = (1 << 12) - 1;

export interface ClusterEventRegistration {
  readonly resource: EventResource;
  readonly actions: number;
}

export interface ClusterEvent extends ClusterEventRegistration {
  /** For logs and metrics, e.g. "NodeAdd", "AssignedPodDelete". */
  readonly label: string;
}

export function eventMatches(registration: ClusterEventRegistration, event: ClusterEvent): boolean {
  return registration.resource === event.resource && (registration.actions & event.actions) !== 0;
}

export const NodeAdd: ClusterEvent = { resource: "Node", actions: Action.Add, label: "NodeAdd" };
export const NodeDelete: ClusterEvent = { resource: "Node", actions: Action.Delete, label: "NodeDelete" };
export const AssignedPodAdd: ClusterEvent = { resource: "Pod", actions: Action.Add, label: "AssignedPodAdd" };
export const AssignedPodDelete: ClusterEvent = { resource: "Pod", actions: Action.Delete, label: "AssignedPodDelete" };
/** Not a cluster change: the periodic flush of pods parked too long (upstream UnschedulableTimeout). */
export const UnschedulableTimeout: ClusterEvent = { resource: "Node", actions: ALL_ACTIONS, label: "UnschedulableTimeout" };

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** What changed on a node that scheduling can care about; undefined if nothing did (a heartbeat). */
export function nodeUpdateEvent(oldNode: NodeLike, newNode: NodeLike): ClusterEvent | undefined {
  let actions = 0;
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) actions |= Action.UpdateNodeAllocatable;
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) actions |= Action.UpdateNodeLabel;
  // Cordoning is a taint change upstream (the unschedulable field maps to a taint).
  if (!same(oldNode.spec?.taints, newNode.spec?.taints) || oldNode.spec?.unschedulable !== newNode.spec?.unschedulable) {
    actions |= Action.UpdateNodeTaint;
  }
  const conditions = (n: NodeLike) => (n.status?.conditions ?? []).map((c) => [c.type, c.status]);
  if (!same(conditions(oldNode), conditions(newNode))) actions |= Action.UpdateNodeCondition;
  if (!same(oldNode.metadata?.annotations, newNode.metadata?.annotations)) actions |= Action.UpdateNodeAnnotation;
  return actions === 0 ? undefined : { resource: "Node", actions, label: "NodeUpdate" };
}

/**
 * What changed on a bound pod. A pod turning Succeeded/Failed frees its
 * resources, which upstream sees as a delete (its informer filters terminal pods out).
 */
export function assignedPodUpdateEvent(oldPod: PodLike, newPod: PodLike): ClusterEvent | undefined {
  if (isTerminal(newPod) && !isTerminal(oldPod)) return AssignedPodDelete;
  let actions = 0;
  if (!same(oldPod.metadata?.labels, newPod.metadata?.labels)) actions |= Action.UpdatePodLabel;
  const before = computePodRequests(oldPod);
  const after = computePodRequests(newPod);
  if (after.milliCPU < before.milliCPU || after.memory < before.memory || after.ephemeralStorage < before.ephemeralStorage) {
    actions |= Action.UpdatePodScaleDown;
  }
  if (!same(oldPod.spec?.tolerations, newPod.spec?.tolerations)) actions |= Action.UpdatePodToleration;
  return actions === 0 ? undefined : { resource: "Pod", actions, label: "AssignedPodUpdate" };
}

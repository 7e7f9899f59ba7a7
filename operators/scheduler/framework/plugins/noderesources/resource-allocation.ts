// The machinery shared by the resource scores (upstream
// noderesources/resource_allocation.go): per configured resource, the node's
// allocatable and what would be requested with the incoming pod on it.
import type { NodeInfo } from "../../node-info.ts";
import type { PodInfo } from "../../pod-info.ts";
import { CPU, EPHEMERAL_STORAGE, isScalarResourceName, MEMORY } from "../../resource.ts";

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** Upstream's default scoring resources: cpu and memory, weight 1 each. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: CPU, weight: 1 },
  { name: MEMORY, weight: 1 },
];

/**
 * The pod's request for one resource. `useRequested` false (NodeResourcesFit)
 * counts a container without a cpu/memory request as 100m/200Mi; true
 * (BalancedAllocation) takes the requests as written.
 */
export function podRequestFor(pod: PodInfo, resource: string, useRequested: boolean): number {
  switch (resource) {
    case CPU:
      return useRequested ? pod.requests.milliCPU : pod.nonZero.milliCPU;
    case MEMORY:
      return useRequested ? pod.requests.memory : pod.nonZero.memory;
    case EPHEMERAL_STORAGE:
      return pod.requests.ephemeralStorage;
    default:
      return pod.requests.scalar.get(resource) ?? 0;
  }
}

/** [allocatable, requested including the pod]; [0, 0] leaves the resource out of the score. */
function allocatableAndRequested(node: NodeInfo, resource: string, podRequest: number, useRequested: boolean): [number, number] {
  // An extended resource the pod does not ask for does not count for or against a node.
  if (podRequest === 0 && isScalarResourceName(resource)) return [0, 0];
  switch (resource) {
    case CPU:
      return [node.allocatable.milliCPU, (useRequested ? node.requested.milliCPU : node.nonZeroRequested.milliCPU) + podRequest];
    case MEMORY:
      return [node.allocatable.memory, (useRequested ? node.requested.memory : node.nonZeroRequested.memory) + podRequest];
    case EPHEMERAL_STORAGE:
      return [node.allocatable.ephemeralStorage, node.requested.ephemeralStorage + podRequest];
    default: {
      const allocatable = node.allocatable.scalar.get(resource);
      if (allocatable === undefined) return [0, 0];
      return [allocatable, (node.requested.scalar.get(resource) ?? 0) + podRequest];
    }
  }
}

/** Scores a node from parallel arrays; an entry with allocatable 0 is to be skipped. */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

export function scoreResources(
  node: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
  scorer: ResourceScorer,
): number {
  const requested = new Array<number>(resources.length).fill(0);
  const allocatable = new Array<number>(resources.length).fill(0);
  resources.forEach((r, i) => {
    const [alloc, req] = allocatableAndRequested(node, r.name, podRequests[i] ?? 0, useRequested);
    if (alloc === 0) return;
    allocatable[i] = alloc;
    requested[i] = req;
  });
  return scorer(requested, allocatable);
}

/** The weighted mean of a per-resource score, over resources with allocatable > 0, in integers. */
export function weightedResourceScorer(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    allocatable.forEach((capacity, i) => {
      if (capacity === 0) return;
      const weight = resources[i]?.weight ?? 0;
      nodeScore += perResource(requested[i] ?? 0, capacity) * weight;
      weightSum += weight;
    });
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}

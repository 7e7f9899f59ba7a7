// LeastAllocated (upstream noderesources/least_allocated.go), the default
// NodeResourcesFit strategy: the more room left after placing the pod, the
// better: (capacity − requested) × 100 / capacity per resource, weighted mean.
import { MAX_NODE_SCORE } from "../../interface.ts";
import type { ResourceScorer, ResourceSpec } from "./resource-allocation.ts";
import { weightedResourceScorer } from "./resource-allocation.ts";

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedResourceScorer(resources, leastRequestedScore);
}

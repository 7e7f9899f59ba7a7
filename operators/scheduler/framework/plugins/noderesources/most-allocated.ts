// MostAllocated (upstream noderesources/most_allocated.go), for bin packing:
// requested × 100 / capacity per resource (requests past capacity count as
// full, which defaulted requests can cause), weighted mean.
import { MAX_NODE_SCORE } from "../../interface.ts";
import type { ResourceScorer, ResourceSpec } from "./resource-allocation.ts";
import { weightedResourceScorer } from "./resource-allocation.ts";

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return weightedResourceScorer(resources, mostRequestedScore);
}

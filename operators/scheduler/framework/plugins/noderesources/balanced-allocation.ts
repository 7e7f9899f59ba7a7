// NodeResourcesBalancedAllocation (upstream noderesources/balanced_allocation.go):
// prefer nodes whose cpu and memory fractions stay close after placing the
// pod: (1 − std) × 100, fractions capped at 1; for two resources std is
// |f1 − f2| / 2. Requests count as written (no 100m/200Mi defaults), and a
// best-effort pod (no requests at all) is not scored, so such pods do not
// all pile onto one node (kubernetes#129138).
import type { Plugin } from "../../interface.ts";
import { MAX_NODE_SCORE } from "../../interface.ts";
import * as names from "../names.ts";
import type { ResourceSpec } from "./resource-allocation.ts";
import { DEFAULT_RESOURCES, podRequestFor, scoreResources } from "./resource-allocation.ts";

export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  allocatable.forEach((capacity, i) => {
    if (capacity === 0) return;
    const fraction = Math.min((requested[i] ?? 0) / capacity, 1);
    total += fraction;
    fractions.push(fraction);
  });
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(((fractions[0] ?? 0) - (fractions[1] ?? 0)) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    std = Math.sqrt(fractions.reduce((sum, f) => sum + (f - mean) * (f - mean), 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

const PRESCORE_KEY = "PreScoreNodeResourcesBalancedAllocation";

export function balancedAllocation(args: { resources?: readonly ResourceSpec[] } = {}): Plugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  return {
    name: names.NodeResourcesBalancedAllocation,
    preScore(ctx) {
      const podRequests = resources.map((r) => podRequestFor(ctx.pod, r.name, true));
      if (podRequests.every((r) => r === 0)) return "skip";
      ctx.state.write(PRESCORE_KEY, podRequests);
      return undefined;
    },
    score(ctx, node) {
      const podRequests = ctx.state.read<number[]>(PRESCORE_KEY) ?? resources.map((r) => podRequestFor(ctx.pod, r.name, true));
      return scoreResources(node, resources, podRequests, true, balancedResourceScorer);
    },
  };
}

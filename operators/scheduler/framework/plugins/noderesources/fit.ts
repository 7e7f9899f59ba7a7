// NodeResourcesFit (upstream noderesources/fit.go). Filter: the pod's
// requests must fit in allocatable minus what the counted pods request,
// resource by resource, and one more pod must fit the pods limit; every
// shortfall is a reason ("Insufficient cpu", "Too many pods"). Score: the
// configured strategy (LeastAllocated by default, or MostAllocated).
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import type { Resource } from "../../resource.ts";
import { CPU, EPHEMERAL_STORAGE, isExtendedResourceName, MEMORY, PODS } from "../../resource.ts";
import * as names from "../names.ts";
import { leastResourceScorer } from "./least-allocated.ts";
import { mostResourceScorer } from "./most-allocated.ts";
import type { ResourceSpec } from "./resource-allocation.ts";
import { DEFAULT_RESOURCES, podRequestFor, scoreResources } from "./resource-allocation.ts";

export type ScoringStrategy = "LeastAllocated" | "MostAllocated";

export interface FitArgs {
  /** Extended resources the filter ignores (upstream ignoredResources). */
  readonly ignoredResources?: readonly string[];
  /** Extended resource groups ("example.com") the filter ignores. */
  readonly ignoredResourceGroups?: readonly string[];
  readonly scoringStrategy?: { readonly type?: ScoringStrategy; readonly resources?: readonly ResourceSpec[] };
}

export interface InsufficientResource {
  readonly resourceName: string;
  readonly reason: string;
  readonly requested: number;
  readonly used: number;
  readonly capacity: number;
}

/** What the pod lacks on the node; empty when it fits (upstream fitsRequest). */
export function fitsRequest(
  podRequest: Resource,
  node: NodeInfo,
  ignoredResources: ReadonlySet<string> = new Set(),
  ignoredGroups: ReadonlySet<string> = new Set(),
): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowed = node.allocatable.allowedPodNumber;
  if (node.pods.length + 1 > allowed) {
    out.push({ resourceName: PODS, reason: "Too many pods", requested: 1, used: node.pods.length, capacity: allowed });
  }
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && podRequest.scalar.size === 0) {
    return out;
  }
  const check = (resourceName: string, reason: string, want: number, used: number, capacity: number) => {
    if (want > 0 && want > capacity - used) out.push({ resourceName, reason, requested: want, used, capacity });
  };
  const { requested, allocatable } = node;
  check(CPU, "Insufficient cpu", podRequest.milliCPU, requested.milliCPU, allocatable.milliCPU);
  check(MEMORY, "Insufficient memory", podRequest.memory, requested.memory, allocatable.memory);
  check(EPHEMERAL_STORAGE, "Insufficient ephemeral-storage", podRequest.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage);
  for (const [name, want] of podRequest.scalar) {
    if (isExtendedResourceName(name) && (ignoredResources.has(name) || ignoredGroups.has(name.split("/")[0] ?? ""))) continue;
    check(name, `Insufficient ${name}`, want, requested.scalar.get(name) ?? 0, allocatable.scalar.get(name) ?? 0);
  }
  return out;
}

const PRESCORE_KEY = "PreScoreNodeResourcesFit";

export function nodeResourcesFit(args: FitArgs = {}): Plugin {
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
  const resources = args.scoringStrategy?.resources ?? DEFAULT_RESOURCES;
  const strategy = args.scoringStrategy?.type ?? "LeastAllocated";
  const scorer = strategy === "MostAllocated" ? mostResourceScorer(resources) : leastResourceScorer(resources);
  return {
    name: names.NodeResourcesFit,
    filter(ctx, node) {
      const missing = fitsRequest(ctx.pod.requests, node, ignored, ignoredGroups);
      return missing.length === 0 ? null : status("Unschedulable", ...missing.map((m) => m.reason));
    },
    preScore(ctx) {
      ctx.state.write(
        PRESCORE_KEY,
        resources.map((r) => podRequestFor(ctx.pod, r.name, false)),
      );
      return undefined;
    },
    score(ctx, node) {
      const podRequests = ctx.state.read<number[]>(PRESCORE_KEY) ?? resources.map((r) => podRequestFor(ctx.pod, r.name, false));
      return scoreResources(node, resources, podRequests, false, scorer);
    },
    events: [
      { resource: "Pod", actions: Action.Delete | Action.UpdatePodScaleDown },
      { resource: "Node", actions: Action.Add | Action.UpdateNodeAllocatable },
    ],
  };
}

// The kube-scheduler extender verbs (k8s.io/kube-scheduler/extender/v1),
// answered by the same plugins and snapshot as mirrorkube's own scheduler,
// so that real Pods placed by kube-scheduler respect what bound mirror Pods
// hold. The results have the protocol's PascalCase field names (its Go
// types carry no JSON tags), so the HTTP server only serialises them.
import type { CycleContext, Status } from "./interface.ts";
import { CycleState, MAX_NODE_SCORE, statusMessage } from "./interface.ts";
import type { NodeInfo } from "./node-info.ts";
import type { PodLike } from "./objects.ts";
import { podInfoOf } from "./pod-info.ts";
import type { PluginsConfig, Profile } from "./profile.ts";
import { newProfile } from "./profile.ts";
import { prioritize, runFilters, runPreFilter, SchedulingError } from "./schedule-one.ts";
import type { Snapshot } from "./snapshot.ts";

/** extenderv1.MaxExtenderPriority: prioritize answers 0–10. */
export const MAX_EXTENDER_PRIORITY = 10;

/** extenderv1.ExtenderFilterResult, for a nodeCacheCapable extender (node names in, node names out). */
export interface ExtenderFilterResult {
  NodeNames: string[];
  /** Nodes that failed, with the reasons (kube-scheduler may still preempt on them). */
  FailedNodes: Record<string, string>;
  /** Nodes that failed for reasons preemption cannot fix. */
  FailedAndUnresolvableNodes: Record<string, string>;
  Error: string;
}

/** extenderv1.HostPriority. */
export interface HostPriority {
  Host: string;
  Score: number;
}

function toProfile(plugins: Profile | PluginsConfig): Profile {
  return "hasScoring" in plugins ? plugins : newProfile(plugins);
}

function cycle(pod: PodLike, snapshot: Snapshot): CycleContext {
  return { pod: podInfoOf(pod), snapshot, state: new CycleState() };
}

/**
 * The filter verb: which of `nodeNames` fit the pod. Nodes unknown to the
 * snapshot pass (not upstream: an extender only adds knowledge; kube-scheduler
 * has already applied its own filters to them). A plugin error is reported
 * in Error, which kube-scheduler treats as the extender failing.
 */
export function extenderFilter(
  pod: PodLike,
  nodeNames: readonly string[],
  snapshot: Snapshot,
  plugins: Profile | PluginsConfig = {},
): ExtenderFilterResult {
  try {
    return filterNodes(pod, nodeNames, snapshot, plugins);
  } catch (err) {
    if (!(err instanceof SchedulingError)) throw err;
    return { NodeNames: [], FailedNodes: {}, FailedAndUnresolvableNodes: {}, Error: err.message };
  }
}

function filterNodes(
  pod: PodLike,
  nodeNames: readonly string[],
  snapshot: Snapshot,
  plugins: Profile | PluginsConfig = {},
): ExtenderFilterResult {
  const profile = toProfile(plugins);
  const ctx = cycle(pod, snapshot);
  const result: ExtenderFilterResult = { NodeNames: [], FailedNodes: {}, FailedAndUnresolvableNodes: {}, Error: "" };
  const fail = (name: string, s: Status) => {
    const target = s.code === "UnschedulableAndUnresolvable" ? result.FailedAndUnresolvableNodes : result.FailedNodes;
    target[name] = statusMessage(s);
  };
  const pre = runPreFilter(ctx, profile.plugins);
  for (const name of nodeNames) {
    const node = snapshot.get(name);
    if (pre.rejected) fail(name, pre.status);
    else if (!node) result.NodeNames.push(name);
    else if (pre.allowed && !pre.allowed.has(name) && pre.absentStatus) fail(name, pre.absentStatus);
    else {
      const s = runFilters(ctx, profile.plugins, node);
      if (s) fail(name, s);
      else result.NodeNames.push(name);
    }
  }
  return result;
}

/**
 * The prioritize verb: the weighted plugin total of each node, scaled to
 * 0–10 against the most the plugins that ran could give (kube-scheduler
 * multiplies it back by the extender weight × 10). Unknown nodes score 0.
 */
export function extenderPrioritize(
  pod: PodLike,
  nodeNames: readonly string[],
  snapshot: Snapshot,
  plugins: Profile | PluginsConfig = {},
): HostPriority[] {
  const profile = toProfile(plugins);
  const ctx = cycle(pod, snapshot);
  const known = nodeNames.map((n) => snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined);
  // PreFilter state (e.g. the parsed node affinity) is what some scores read too.
  runPreFilter(ctx, profile.plugins);
  const { details, weightSum } = prioritize(ctx, profile, known);
  const totals = new Map(details.map((d) => [d.node, d.total]));
  const max = weightSum * MAX_NODE_SCORE;
  return nodeNames.map((name) => {
    const total = totals.get(name) ?? 0;
    return { Host: name, Score: max === 0 ? 0 : Math.round((total * MAX_EXTENDER_PRIORITY) / max) };
  });
}

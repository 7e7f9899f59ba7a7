// What PodTopologySpread's filter and score share (upstream
// podtopologyspread/common.go): the parsed constraints and pod counting.
import type { NodeInfo } from "../../node-info.ts";
import type { PodInfo } from "../../pod-info.ts";
import type { Labels, RequiredNodeAffinity, Selector } from "../../selectors.ts";
import { compileLabelSelector, isEmptySelector, matchesSelector, withLabelKeys } from "../../selectors.ts";
import { findUntoleratedTaint } from "../../taints.ts";

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: Selector;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: string;
  readonly nodeTaintsPolicy: string;
}

/**
 * The pod's constraints with `whenUnsatisfiable === action`, with upstream's
 * defaults: minDomains 1, nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore.
 * matchLabelKeys adds `key In (pod's value)` to the selector.
 */
export function spreadConstraints(pod: PodInfo, action: "DoNotSchedule" | "ScheduleAnyway"): SpreadConstraint[] {
  return (pod.pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === action)
    .map((c) => ({
      maxSkew: c.maxSkew,
      topologyKey: c.topologyKey,
      selector: withLabelKeys(compileLabelSelector(c.labelSelector), pod.labels, c.matchLabelKeys),
      minDomains: c.minDomains ?? 1,
      nodeAffinityPolicy: c.nodeAffinityPolicy ?? "Honor",
      nodeTaintsPolicy: c.nodeTaintsPolicy ?? "Ignore",
    }));
}

/** Whether the node carries every constraint's topology key. */
export function hasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => Object.hasOwn(labels, c.topologyKey));
}

/** Whether the node is a domain of the constraint under its node inclusion policies. */
export function nodeIncluded(c: SpreadConstraint, pod: PodInfo, node: NodeInfo, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === "Honor" && !required.matches(node)) return false;
  if (c.nodeTaintsPolicy === "Honor" && findUntoleratedTaint(node.taints, pod.pod.spec?.tolerations)) return false;
  return true;
}

/**
 * Pods on the node in `namespace` that the selector matches; terminating
 * pods do not count (kubernetes#87621), and an empty selector counts none.
 */
export function countMatchingPods(pods: readonly PodInfo[], selector: Selector, namespace: string): number {
  if (isEmptySelector(selector)) return 0;
  let n = 0;
  for (const p of pods) {
    if (p.terminating || p.namespace !== namespace) continue;
    if (matchesSelector(selector, p.labels)) n++;
  }
  return n;
}

// InterPodAffinity Filter (upstream interpodaffinity/filtering.go), over
// topology pairs (key, value) counted once per cycle in PreFilter:
// - the pod's required affinity: every term's topology must hold a pod
//   matching all terms (or no pod anywhere matches and the pod matches its
//   own terms: the first of a group that wants to be together);
// - the pod's required anti-affinity: no matching pod in the term's topology;
// - existing pods' required anti-affinity: the pod must not land in the
//   topology of a pod whose anti-affinity term selects it.
import type { CycleContext, PreFilterOutcome, Status } from "../../interface.ts";
import { status } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import type { AffinityTerm, NamespaceLabels, PodInfo } from "../../pod-info.ts";
import { affinityTermMatches } from "../../pod-info.ts";
import type { TopologyCounts } from "./topology-counts.ts";
import { bumpTopology, countOf } from "./topology-counts.ts";

export const ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";

const KEY = "PreFilterInterPodAffinity";

function matchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo, nsLabels: NamespaceLabels): boolean {
  return terms.length > 0 && terms.every((t) => affinityTermMatches(t, pod, nsLabels));
}

interface FilterState {
  readonly existingAntiAffinity: TopologyCounts;
  readonly affinity: TopologyCounts;
  readonly antiAffinity: TopologyCounts;
}

export function preFilterInterPodAffinity(ctx: CycleContext): PreFilterOutcome {
  const { pod, snapshot } = ctx;
  const nsLabels = snapshot.namespaceLabels;
  const existingAntiAffinity: TopologyCounts = new Map();
  for (const node of snapshot.havePodsWithRequiredAntiAffinity()) {
    for (const existing of node.podsWithRequiredAntiAffinity()) {
      for (const term of existing.requiredAntiAffinityTerms) {
        if (affinityTermMatches(term, pod, nsLabels)) bumpTopology(existingAntiAffinity, term.topologyKey, node.labels);
      }
    }
  }
  const affinity: TopologyCounts = new Map();
  const antiAffinity: TopologyCounts = new Map();
  if (pod.requiredAffinityTerms.length > 0 || pod.requiredAntiAffinityTerms.length > 0) {
    for (const node of snapshot.nodeInfos) {
      for (const existing of node.pods) {
        if (matchesAllTerms(pod.requiredAffinityTerms, existing, nsLabels)) {
          for (const t of pod.requiredAffinityTerms) bumpTopology(affinity, t.topologyKey, node.labels);
        }
        for (const t of pod.requiredAntiAffinityTerms) {
          if (affinityTermMatches(t, existing, nsLabels)) bumpTopology(antiAffinity, t.topologyKey, node.labels);
        }
      }
    }
  }
  if (existingAntiAffinity.size === 0 && pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0) {
    return { skip: true };
  }
  ctx.state.write(KEY, { existingAntiAffinity, affinity, antiAffinity } satisfies FilterState);
  return undefined;
}

function satisfiesPodAffinity(s: FilterState, ctx: CycleContext, node: NodeInfo): boolean {
  let podsExist = true;
  for (const term of ctx.pod.requiredAffinityTerms) {
    const value = node.labels[term.topologyKey];
    // Every topology key must exist on the node.
    if (value === undefined) return false;
    if (countOf(s.affinity, term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinity.size === 0 && matchesAllTerms(ctx.pod.requiredAffinityTerms, ctx.pod, ctx.snapshot.namespaceLabels);
}

function satisfiesPodAntiAffinity(s: FilterState, ctx: CycleContext, node: NodeInfo): boolean {
  for (const term of ctx.pod.requiredAntiAffinityTerms) {
    const value = node.labels[term.topologyKey];
    if (value !== undefined && countOf(s.antiAffinity, term.topologyKey, value) > 0) return false;
  }
  return true;
}

function satisfiesExistingPodsAntiAffinity(s: FilterState, node: NodeInfo): boolean {
  if (s.existingAntiAffinity.size === 0) return true;
  for (const [key, value] of Object.entries(node.labels)) if (countOf(s.existingAntiAffinity, key, value) > 0) return false;
  return true;
}

export function filterInterPodAffinity(ctx: CycleContext, node: NodeInfo): Status | null {
  const s = ctx.state.read<FilterState>(KEY);
  if (!s) return null;
  if (!satisfiesPodAffinity(s, ctx, node)) return status("UnschedulableAndUnresolvable", ErrReasonAffinityRulesNotMatch);
  if (!satisfiesPodAntiAffinity(s, ctx, node)) return status("Unschedulable", ErrReasonAntiAffinityRulesNotMatch);
  if (!satisfiesExistingPodsAntiAffinity(s, node)) return status("Unschedulable", ErrReasonExistingAntiAffinityRulesNotMatch);
  return null;
}

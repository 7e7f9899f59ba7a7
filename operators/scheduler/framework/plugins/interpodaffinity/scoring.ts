// InterPodAffinity Score (upstream interpodaffinity/scoring.go): every
// preferred term, of the incoming pod or of a pod already placed (and the
// placed pods' required affinity, at hardPodAffinityWeight), adds or takes
// its weight from the topology (key, value) of the placed pod; a node scores
// the sum over its labels, normalized min–max to 0–100.
import type { CycleContext, NodeScore } from "../../interface.ts";
import { MAX_NODE_SCORE } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import type { AffinityTerm, NamespaceLabels, PodInfo, WeightedAffinityTerm } from "../../pod-info.ts";
import { affinityTermMatches } from "../../pod-info.ts";
import type { TopologyCounts } from "./topology-counts.ts";
import { bumpTopology } from "./topology-counts.ts";

const KEY = "PreScoreInterPodAffinity";

function processTerm(scores: TopologyCounts, term: AffinityTerm, weight: number, pod: PodInfo, nsLabels: NamespaceLabels, node: NodeInfo): void {
  if (affinityTermMatches(term, pod, nsLabels)) bumpTopology(scores, term.topologyKey, node.labels, weight);
}

function processTerms(scores: TopologyCounts, terms: readonly WeightedAffinityTerm[], pod: PodInfo, nsLabels: NamespaceLabels, node: NodeInfo, sign: 1 | -1): void {
  for (const t of terms) processTerm(scores, t, t.weight * sign, pod, nsLabels, node);
}

export function preScoreInterPodAffinity(ctx: CycleContext, hardPodAffinityWeight: number): "skip" | undefined {
  const incoming = ctx.pod;
  const nsLabels = ctx.snapshot.namespaceLabels;
  const hasPreferred = incoming.preferredAffinityTerms.length > 0 || incoming.preferredAntiAffinityTerms.length > 0;
  // Without preferences of its own, only pods with affinity can have an opinion about the incoming pod.
  const nodes = hasPreferred ? ctx.snapshot.nodeInfos : ctx.snapshot.havePodsWithAffinity();
  const scores: TopologyCounts = new Map();
  for (const node of nodes) {
    if (Object.keys(node.labels).length === 0) continue;
    for (const existing of hasPreferred ? node.pods : node.podsWithAffinity()) {
      processTerms(scores, incoming.preferredAffinityTerms, existing, nsLabels, node, 1);
      processTerms(scores, incoming.preferredAntiAffinityTerms, existing, nsLabels, node, -1);
      if (hardPodAffinityWeight > 0) {
        for (const t of existing.requiredAffinityTerms) processTerm(scores, t, hardPodAffinityWeight, incoming, nsLabels, node);
      }
      processTerms(scores, existing.preferredAffinityTerms, incoming, nsLabels, node, 1);
      processTerms(scores, existing.preferredAntiAffinityTerms, incoming, nsLabels, node, -1);
    }
  }
  if (scores.size === 0) return "skip";
  ctx.state.write(KEY, scores);
  return undefined;
}

export function scoreInterPodAffinity(ctx: CycleContext, node: NodeInfo): number {
  const scores = ctx.state.read<TopologyCounts>(KEY);
  let total = 0;
  for (const [key, values] of scores ?? []) {
    const value = node.labels[key];
    if (value !== undefined) total += values.get(value) ?? 0;
  }
  return total;
}

export function normalizeInterPodAffinity(ctx: CycleContext, scores: NodeScore[]): void {
  if ((ctx.state.read<TopologyCounts>(KEY)?.size ?? 0) === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (const s of scores) {
    min = Math.min(min, s.score);
    max = Math.max(max, s.score);
  }
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
}

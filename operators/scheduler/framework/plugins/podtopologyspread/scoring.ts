// PodTopologySpread Score (upstream podtopologyspread/scoring.go), for
// ScheduleAnyway constraints: a node scores the matching pods of its domain,
// weighted by log(#domains + 2) so small topologies are not drowned by big
// ones, plus maxSkew − 1; NormalizeScore inverts, so fewer is better.
import type { CycleContext, NodeScore } from "../../interface.ts";
import { MAX_NODE_SCORE } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import { LABEL_HOSTNAME } from "../../objects.ts";
import { RequiredNodeAffinity } from "../../selectors.ts";
import type { SpreadConstraint } from "./common.ts";
import { countMatchingPods, hasAllTopologyKeys, nodeIncluded, spreadConstraints } from "./common.ts";

const KEY = "PreScorePodTopologySpread";

interface ScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Feasible nodes missing a topology key: scored 0. */
  readonly ignored: ReadonlySet<string>;
  /** Per constraint: topology value → matching pods (hostname constraints are counted per node at Score). */
  readonly counts: readonly Map<string, number>[];
  readonly weights: readonly number[];
}

export function preScoreSpread(ctx: CycleContext, feasible: readonly NodeInfo[]): "skip" | undefined {
  const all = ctx.snapshot.nodeInfos;
  if (all.length === 0) return "skip";
  const constraints = spreadConstraints(ctx.pod, "ScheduleAnyway");
  if (constraints.length === 0) return "skip";
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of feasible) {
    if (!hasAllTopologyKeys(node.labels, constraints)) {
      ignored.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey !== LABEL_HOSTNAME) counts[i]?.set(node.labels[c.topologyKey] ?? "", 0);
    });
  }
  const weights = constraints.map((c, i) => {
    const size = c.topologyKey === LABEL_HOSTNAME ? feasible.length - ignored.size : (counts[i]?.size ?? 0);
    return Math.log(size + 2);
  });
  const required = new RequiredNodeAffinity(ctx.pod.pod);
  // Every node counts towards a domain the feasible nodes belong to.
  for (const node of all) {
    if (!hasAllTopologyKeys(node.labels, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!nodeIncluded(c, ctx.pod, node, required)) return;
      const value = node.labels[c.topologyKey] ?? "";
      const domain = counts[i];
      const current = domain?.get(value);
      if (current === undefined) return;
      domain?.set(value, current + countMatchingPods(node.pods, c.selector, ctx.pod.namespace));
    });
  }
  ctx.state.write(KEY, { constraints, ignored, counts, weights } satisfies ScoreState);
  return undefined;
}

export function scoreSpread(ctx: CycleContext, node: NodeInfo): number {
  const s = ctx.state.read<ScoreState>(KEY);
  if (!s || s.ignored.has(node.name)) return 0;
  let score = 0;
  s.constraints.forEach((c, i) => {
    const value = node.labels[c.topologyKey];
    if (value === undefined) return;
    const count =
      c.topologyKey === LABEL_HOSTNAME
        ? countMatchingPods(node.pods, c.selector, ctx.pod.namespace)
        : (s.counts[i]?.get(value) ?? 0);
    score += count * (s.weights[i] ?? 0) + (c.maxSkew - 1);
  });
  return Math.round(score);
}

export function normalizeSpread(ctx: CycleContext, scores: NodeScore[]): void {
  const s = ctx.state.read<ScoreState>(KEY);
  if (!s) return;
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const x of scores) {
    if (s.ignored.has(x.name)) continue;
    min = Math.min(min, x.score);
    max = Math.max(max, x.score);
  }
  for (const x of scores) {
    if (s.ignored.has(x.name)) x.score = 0;
    else if (max === 0) x.score = MAX_NODE_SCORE;
    else x.score = Math.trunc((MAX_NODE_SCORE * (max + min - x.score)) / max);
  }
}

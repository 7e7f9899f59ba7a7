// PodTopologySpread Filter (upstream podtopologyspread/filtering.go): for
// each DoNotSchedule constraint, placing the pod in a domain must keep
// matching pods in that domain + 1 − the global minimum ≤ maxSkew. The
// global minimum is 0 while fewer than minDomains domains exist.
import type { CycleContext, PreFilterOutcome, Status } from "../../interface.ts";
import { status } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import { matchesSelector, RequiredNodeAffinity } from "../../selectors.ts";
import type { SpreadConstraint } from "./common.ts";
import { countMatchingPods, hasAllTopologyKeys, nodeIncluded, spreadConstraints } from "./common.ts";

export const ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const ErrReasonNodeLabelNotMatch = `${ErrReasonConstraintsNotMatch} (missing required label)`;

const KEY = "PreFilterPodTopologySpread";
const NO_DOMAIN = 2 ** 31 - 1;

interface FilterState {
  readonly constraints: readonly SpreadConstraint[];
  /** topologyKey → value → matching pods. */
  readonly matchCounts: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export function preFilterSpread(ctx: CycleContext): PreFilterOutcome {
  const constraints = spreadConstraints(ctx.pod, "DoNotSchedule");
  if (constraints.length === 0) return { skip: true };
  const required = new RequiredNodeAffinity(ctx.pod.pod);
  const matchCounts = new Map<string, Map<string, number>>(constraints.map((c) => [c.topologyKey, new Map()]));
  for (const node of ctx.snapshot.nodeInfos) {
    if (!hasAllTopologyKeys(node.labels, constraints)) continue;
    for (const c of constraints) {
      if (!nodeIncluded(c, ctx.pod, node, required)) continue;
      const value = node.labels[c.topologyKey] ?? "";
      const counts = matchCounts.get(c.topologyKey);
      // Registering the domain with 0 matters: it counts towards minDomains and the minimum.
      counts?.set(value, (counts.get(value) ?? 0) + countMatchingPods(node.pods, c.selector, ctx.pod.namespace));
    }
  }
  ctx.state.write(KEY, { constraints, matchCounts } satisfies FilterState);
  return undefined;
}

function globalMinimum(counts: ReadonlyMap<string, number> | undefined, minDomains: number): number {
  if (!counts || counts.size < minDomains) return 0;
  let min = NO_DOMAIN;
  for (const n of counts.values()) if (n < min) min = n;
  return min;
}

export function filterSpread(ctx: CycleContext, node: NodeInfo): Status | null {
  const s = ctx.state.read<FilterState>(KEY);
  if (!s) return null;
  for (const c of s.constraints) {
    const value = node.labels[c.topologyKey];
    if (value === undefined) return status("UnschedulableAndUnresolvable", ErrReasonNodeLabelNotMatch);
    const counts = s.matchCounts.get(c.topologyKey);
    const self = matchesSelector(c.selector, ctx.pod.labels) ? 1 : 0;
    const skew = (counts?.get(value) ?? 0) + self - globalMinimum(counts, c.minDomains);
    if (skew > c.maxSkew) return status("Unschedulable", ErrReasonConstraintsNotMatch);
  }
  return null;
}

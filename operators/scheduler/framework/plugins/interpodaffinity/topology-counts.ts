// Counts keyed by topology pair (topologyKey, the node's value for it),
// what both the filter and the score of InterPodAffinity accumulate.
import type { Labels } from "../../selectors.ts";

/** topologyKey → topologyValue → count. */
export type TopologyCounts = Map<string, Map<string, number>>;

/** Adds `by` to the node's pair for `key`; a node without the key has no pair. */
export function bumpTopology(counts: TopologyCounts, key: string, labels: Labels, by = 1): void {
  const value = labels[key];
  if (value === undefined) return;
  let values = counts.get(key);
  if (!values) counts.set(key, (values = new Map()));
  values.set(value, (values.get(value) ?? 0) + by);
}

export function countOf(counts: TopologyCounts, key: string, value: string): number {
  return counts.get(key)?.get(value) ?? 0;
}

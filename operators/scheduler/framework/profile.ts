// A scheduler profile: which plugins run, in which order, with which score
// weights (upstream apis/config/v1/default_plugins.go). Plugins are looked up
// by name, so other code can supply one (a VolumeBinding filter for PV node
// affinity, say) without touching the framework.
import type { Plugin } from "./interface.ts";
import { imageLocality } from "./plugins/imagelocality/image-locality.ts";
import type { InterPodAffinityArgs } from "./plugins/interpodaffinity/plugin.ts";
import { interPodAffinity } from "./plugins/interpodaffinity/plugin.ts";
import * as names from "./plugins/names.ts";
import { nodeAffinity } from "./plugins/nodeaffinity/node-affinity.ts";
import { nodeName } from "./plugins/nodename/node-name.ts";
import { nodePorts } from "./plugins/nodeports/node-ports.ts";
import { balancedAllocation } from "./plugins/noderesources/balanced-allocation.ts";
import type { FitArgs } from "./plugins/noderesources/fit.ts";
import { nodeResourcesFit } from "./plugins/noderesources/fit.ts";
import type { ResourceSpec } from "./plugins/noderesources/resource-allocation.ts";
import { nodeUnschedulable } from "./plugins/nodeunschedulable/node-unschedulable.ts";
import { podTopologySpread } from "./plugins/podtopologyspread/plugin.ts";
import { taintToleration } from "./plugins/tainttoleration/taint-toleration.ts";

/** Upstream's default score weights. */
export const DEFAULT_WEIGHTS: Readonly<Record<string, number>> = {
  [names.TaintToleration]: 3,
  [names.NodeAffinity]: 2,
  [names.PodTopologySpread]: 2,
  [names.InterPodAffinity]: 2,
  [names.NodeResourcesFit]: 1,
  [names.NodeResourcesBalancedAllocation]: 1,
  [names.ImageLocality]: 1,
};

/** The upstream order of the default plugins; VolumeBinding is a slot filled only when supplied. */
const DEFAULT_ORDER = [
  names.NodeUnschedulable,
  names.NodeName,
  names.TaintToleration,
  names.NodeAffinity,
  names.NodePorts,
  names.NodeResourcesFit,
  names.VolumeBinding,
  names.PodTopologySpread,
  names.InterPodAffinity,
  names.NodeResourcesBalancedAllocation,
  names.ImageLocality,
];

export interface PluginsConfig {
  /** NodeResourcesFit: ignored resources and the scoring strategy (LeastAllocated by default, or MostAllocated). */
  readonly nodeResourcesFit?: FitArgs;
  readonly balancedAllocation?: { readonly resources?: readonly ResourceSpec[] };
  readonly interPodAffinity?: InterPodAffinityArgs;
  /** ImageLocality is off unless enabled: kwok nodes report no images. */
  readonly imageLocality?: boolean;
  /** Score weights by plugin name, over DEFAULT_WEIGHTS. */
  readonly weights?: Readonly<Record<string, number>>;
  /** Plugins to leave out, by name. */
  readonly disabled?: readonly string[];
  /**
   * More plugins. One named like a default plugin replaces it in place; one
   * named "VolumeBinding" takes upstream's VolumeBinding slot (after
   * NodeResourcesFit); any other is appended.
   */
  readonly plugins?: readonly Plugin[];
  /** Upstream percentageOfNodesToScore: 0 or unset adapts to the cluster size (50% − nodes/125, at least 5%, at least 100 nodes). */
  readonly percentageOfNodesToScore?: number;
}

export interface Profile {
  /** Enabled plugins in run order. */
  readonly plugins: readonly Plugin[];
  weight(plugin: string): number;
  readonly percentageOfNodesToScore: number;
  /** Whether any plugin scores; if none does, the first feasible node is taken. */
  readonly hasScoring: boolean;
}

function defaultPlugins(config: PluginsConfig): Plugin[] {
  const plugins = [
    nodeUnschedulable(),
    nodeName(),
    taintToleration(),
    nodeAffinity(),
    nodePorts(),
    nodeResourcesFit(config.nodeResourcesFit),
    podTopologySpread(),
    interPodAffinity(config.interPodAffinity),
    balancedAllocation(config.balancedAllocation),
  ];
  if (config.imageLocality) plugins.push(imageLocality());
  return plugins;
}

export function newProfile(config: PluginsConfig = {}): Profile {
  const byName = new Map(defaultPlugins(config).map((p) => [p.name, p]));
  const extra: Plugin[] = [];
  for (const p of config.plugins ?? []) {
    if (DEFAULT_ORDER.includes(p.name)) byName.set(p.name, p);
    else extra.push(p);
  }
  const disabled = new Set(config.disabled ?? []);
  const plugins = [...DEFAULT_ORDER.flatMap((n) => byName.get(n) ?? []), ...extra].filter((p) => !disabled.has(p.name));
  const weights = { ...DEFAULT_WEIGHTS, ...config.weights };
  return {
    plugins,
    weight: (plugin) => weights[plugin] ?? 1,
    percentageOfNodesToScore: config.percentageOfNodesToScore ?? 0,
    hasScoring: plugins.some((p) => p.score),
  };
}

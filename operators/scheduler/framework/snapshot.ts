// A Snapshot: the consistent view of every node one scheduling cycle reads
// (upstream internal/cache Snapshot). Built by the node cache, or from plain
// objects (tests, benchmarks, one-off extender calls).
import { NodeInfo } from "./node-info.ts";
import type { NodeLike, PodLike } from "./objects.ts";
import { isTerminal, nodeName } from "./objects.ts";
import type { NamespaceLabels } from "./pod-info.ts";
import { podInfoOf } from "./pod-info.ts";

export interface Snapshot {
  /** Nodes that exist (a NodeInfo whose Node was deleted but still holds pods is left out), sorted by name. */
  readonly nodeInfos: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes hosting a pod with podAffinity/podAntiAffinity. */
  havePodsWithAffinity(): readonly NodeInfo[];
  /** Nodes hosting a pod with required pod anti-affinity. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[];
  /** On how many nodes an image (as listed in node.status.images) is present. */
  imageNumNodes(image: string): number;
  readonly namespaceLabels: NamespaceLabels;
}

const noNamespaceLabels: NamespaceLabels = () => undefined;

function lazy<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

/** A Snapshot over NodeInfos the caller will not mutate any more. */
export function newSnapshot(infos: readonly NodeInfo[], namespaceLabels: NamespaceLabels = noNamespaceLabels): Snapshot {
  const nodeInfos = infos.filter((n) => n.node !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map(nodeInfos.map((n) => [n.name, n]));
  const withAffinity = lazy(() => nodeInfos.filter((n) => n.podsWithAffinity().length > 0));
  const withAntiAffinity = lazy(() => nodeInfos.filter((n) => n.podsWithRequiredAntiAffinity().length > 0));
  const images = lazy(() => {
    const counts = new Map<string, number>();
    for (const n of nodeInfos) for (const image of n.images.keys()) counts.set(image, (counts.get(image) ?? 0) + 1);
    return counts;
  });
  return {
    nodeInfos,
    get: (name) => byName.get(name),
    havePodsWithAffinity: withAffinity,
    havePodsWithRequiredAntiAffinity: withAntiAffinity,
    imageNumNodes: (image) => images().get(image) ?? 0,
    namespaceLabels,
  };
}

/**
 * A Snapshot from plain objects: every bound, non-terminal pod counts on its
 * node. No mirror/real de-duplication: that is the node cache's job.
 */
export function snapshotFromObjects(
  nodes: readonly NodeLike[],
  pods: readonly PodLike[] = [],
  namespaceLabels?: NamespaceLabels,
): Snapshot {
  const infos = new Map<string, NodeInfo>();
  for (const node of nodes) {
    const info = new NodeInfo(nodeName(node));
    info.setNode(node);
    infos.set(info.name, info);
  }
  for (const pod of pods) {
    const target = pod.spec?.nodeName;
    if (!target || isTerminal(pod)) continue;
    infos.get(target)?.addPod(podInfoOf(pod));
  }
  return newSnapshot([...infos.values()], namespaceLabels);
}

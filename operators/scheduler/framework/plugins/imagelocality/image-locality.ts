// ImageLocality (upstream plugins/imagelocality): prefer nodes that already
// have the pod's images, by size, discounted by how widely each image is
// spread (an image on every node says nothing about this one). Off by
// default in mirrorkube: kwok nodes report no images.
import type { Plugin } from "../../interface.ts";
import { MAX_NODE_SCORE } from "../../interface.ts";
import type { NodeInfo } from "../../node-info.ts";
import { normalizedImageName } from "../../node-info.ts";
import type { ContainerLike } from "../../objects.ts";
import * as names from "../names.ts";

const MB = 1024 * 1024;
/** Below 23 MB an image says nothing; 1000 MB per container is the ceiling. */
export const MIN_THRESHOLD = 23 * MB;
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

export function calculatePriority(sumScores: number, numContainers: number): number {
  const max = MAX_CONTAINER_THRESHOLD * numContainers;
  const clamped = Math.min(Math.max(sumScores, MIN_THRESHOLD), max);
  return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (max - MIN_THRESHOLD));
}

function sumImageScores(node: NodeInfo, containers: readonly ContainerLike[], numNodes: (image: string) => number, totalNodes: number): number {
  let sum = 0;
  for (const c of containers) {
    const image = normalizedImageName(c.image ?? "");
    const size = node.images.get(image);
    if (size !== undefined) sum += Math.trunc(size * (numNodes(image) / totalNodes));
  }
  return sum;
}

export function imageLocality(): Plugin {
  return {
    name: names.ImageLocality,
    score(ctx, node) {
      const spec = ctx.pod.pod.spec;
      const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
      if (containers.length === 0) return 0;
      const total = ctx.snapshot.nodeInfos.length;
      return calculatePriority(sumImageScores(node, containers, ctx.snapshot.imageNumNodes, total), containers.length);
    },
  };
}

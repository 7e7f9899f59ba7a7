// The three resources the realizer reads and writes, and the shapes it reads
// of the two built-in ones. Real objects come from the API server as JSON
// (times are strings), in the same upstream shapes the mirror schemas copy.
import { kinds, type PodSpec, type PodStatus } from "../../api/index.ts";
import type { KindRef } from "../../runtime/controller/builder.ts";
import type { KubeObject } from "../../runtime/client/index.ts";

export const mirrorPods: KindRef = {
  group: kinds.Pod.group,
  version: kinds.Pod.version,
  plural: kinds.Pod.plural,
  namespaced: true,
  kind: kinds.Pod.kind,
};

export const realPods: KindRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };

export const nodes: KindRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };

/** The status of a real Pod: upstream PodStatus (the mirror's, without its display fields). */
export type RealPodStatus = Partial<Omit<PodStatus, "ready" | "restarts" | "display">>;

/** A core/v1 Pod, as far as the realizer reads and writes it. */
export interface RealPod extends KubeObject {
  spec?: Partial<PodSpec>;
  status?: RealPodStatus;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** A core/v1 Node, as far as the realizer reads it: whether it is there and Ready. */
export interface Node extends KubeObject {
  status?: { conditions?: NodeCondition[] };
}

/** A mirror Pod as the API server stores it (unparsed): what writes send back. */
export interface MirrorPodObject extends KubeObject {
  spec?: unknown;
  status?: unknown;
}

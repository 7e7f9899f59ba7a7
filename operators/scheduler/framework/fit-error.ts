// The message of a scheduling failure, byte for byte as upstream's
// FitError.Error() prints it in the FailedScheduling event and the
// PodScheduled=False condition: "0/3 nodes are available: 1 Insufficient cpu,
// 2 node(s) had untolerated taint {dedicated: gpu}."
import type { Status } from "./interface.ts";

/** Upstream ErrNoNodesAvailable, reported when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

export interface Diagnosis {
  /** The explicit status of every node that was filtered and failed. */
  readonly nodeStatuses: ReadonlyMap<string, Status>;
  /** The status of nodes not in nodeStatuses (e.g. removed by a PreFilter result). */
  readonly absentNodesStatus?: Status;
  /** Set when a PreFilter plugin rejected the pod for every node. */
  readonly preFilterMessage?: string;
  /** Plugins that rejected the pod on some node: the queue parks it until an event they care about. */
  readonly unschedulablePlugins: ReadonlySet<string>;
  /** Appended as is (upstream PostFilterMsg, e.g. preemption's verdict). */
  readonly postFilterMessage?: string;
}

/**
 * Builds "0/N nodes are available: <count> <reason>, ....". Each reason of
 * each node's status counts once per node; the "<count> <reason>" strings
 * are sorted as strings (so "10 …" sorts before "2 …", as upstream).
 */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let message = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMessage) {
    message += ` ${diagnosis.preFilterMessage}.`;
  } else {
    const counts = new Map<string, number>();
    for (const s of diagnosis.nodeStatuses.values()) {
      for (const reason of s.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const absent = numAllNodes - diagnosis.nodeStatuses.size;
    if (absent > 0 && diagnosis.absentNodesStatus) {
      for (const reason of diagnosis.absentNodesStatus.reasons) counts.set(reason, (counts.get(reason) ?? 0) + absent);
    }
    const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
    if (parts.length > 0) message += ` ${parts.join(", ")}.`;
  }
  if (diagnosis.postFilterMessage) message += ` ${diagnosis.postFilterMessage}`;
  return message;
}

/** Upstream truncateMessage: events and conditions keep at most 1024 bytes (NoteLengthLimit). */
export function truncateMessage(message: string, max = 1024): string {
  if (message.length <= max) return message;
  const suffix = " ...";
  return message.slice(0, max - suffix.length) + suffix;
}

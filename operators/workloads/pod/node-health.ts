// Whether the Node a pod is bound to is lost: deleted, or not Ready for
// longer than a grace period (upstream's node lifecycle waits a grace period
// before it gives up on a node, too).
import { Messages } from "./names.ts";
import type { Node } from "./resources.ts";

/** Upstream's node-monitor-grace-period: how long a Node may be NotReady before its pods are given up. */
export const DEFAULT_NODE_LOST_GRACE_MS = 40_000;

export type NodeHealth =
  | { lost: false; /** The node is NotReady: look again when the grace period ends. */ recheckAfterMs?: number }
  | { lost: true; message: string };

/** `node` is the cached Node named `nodeName`, undefined if the cache has none (it was deleted). */
export function nodeHealth(node: Node | undefined, nodeName: string, podName: string, now: number, graceMs: number): NodeHealth {
  if (!node) return { lost: true, message: Messages.nodeDeleted(nodeName, podName) };
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "True") return { lost: false };
  // A Node that never reported counts from its creation.
  const since = Date.parse(ready?.lastTransitionTime ?? node.metadata?.creationTimestamp ?? "");
  const elapsed = Number.isNaN(since) ? 0 : now - since;
  if (elapsed >= graceMs) return { lost: true, message: Messages.nodeUnresponsive(nodeName, podName) };
  return { lost: false, recheckAfterMs: graceMs - elapsed };
}

/** What about a Node the realizer reacts to: whether it is Ready, and since when. */
export function readiness(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  return `${ready?.status ?? "absent"}@${ready?.lastTransitionTime ?? ""}`;
}

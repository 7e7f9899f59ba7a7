// NodePorts (upstream plugins/nodeports): a host port (protocol, port) can
// be bound once per IP, and 0.0.0.0 overlaps every IP.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import * as names from "../names.ts";

export const ErrReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

export function nodePorts(): Plugin {
  return {
    name: names.NodePorts,
    preFilter(ctx) {
      return ctx.pod.hostPorts.length === 0 ? { skip: true } : undefined;
    },
    filter(ctx, node) {
      for (const p of ctx.pod.hostPorts) if (node.usedPorts.conflicts(p)) return status("Unschedulable", ErrReasonNodePorts);
      return null;
    },
    events: [
      { resource: "Pod", actions: Action.Delete },
      { resource: "Node", actions: Action.Add },
    ],
  };
}

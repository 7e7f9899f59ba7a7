// NodeName (upstream plugins/nodename): a pod that names a node fits only there.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import * as names from "../names.ts";

export const ErrReasonNodeName = "node(s) didn't match the requested node name";

export function nodeName(): Plugin {
  return {
    name: names.NodeName,
    filter(ctx, node) {
      const wanted = ctx.pod.pod.spec?.nodeName;
      if (!wanted || wanted === node.name) return null;
      return status("UnschedulableAndUnresolvable", ErrReasonNodeName);
    },
    events: [{ resource: "Node", actions: Action.Add }],
  };
}

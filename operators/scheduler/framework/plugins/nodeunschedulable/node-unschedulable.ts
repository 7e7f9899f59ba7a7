// NodeUnschedulable (upstream plugins/nodeunschedulable): a cordoned node
// takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import { TAINT_NODE_UNSCHEDULABLE } from "../../objects.ts";
import { tolerationsTolerateTaint } from "../../taints.ts";
import * as names from "../names.ts";

export const ErrReasonUnschedulable = "node(s) were unschedulable";

const UNSCHEDULABLE_TAINT = { key: TAINT_NODE_UNSCHEDULABLE, effect: "NoSchedule" };

export function nodeUnschedulable(): Plugin {
  return {
    name: names.NodeUnschedulable,
    filter(ctx, node) {
      if (!node.unschedulable) return null;
      if (tolerationsTolerateTaint(ctx.pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return null;
      return status("UnschedulableAndUnresolvable", ErrReasonUnschedulable);
    },
    events: [{ resource: "Node", actions: Action.Add | Action.UpdateNodeTaint }],
  };
}

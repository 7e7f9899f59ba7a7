// PodTopologySpread (upstream plugins/podtopologyspread). Not upstream:
// the cluster-level default constraints (spread by Service/ReplicaSet
// selectors) are not applied, because the pure core has no Service or
// owner listers; a pod without constraints is not spread.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import * as names from "../names.ts";
import { filterSpread, preFilterSpread } from "./filtering.ts";
import { normalizeSpread, preScoreSpread, scoreSpread } from "./scoring.ts";

export function podTopologySpread(): Plugin {
  return {
    name: names.PodTopologySpread,
    preFilter: preFilterSpread,
    filter: filterSpread,
    preScore: preScoreSpread,
    score: scoreSpread,
    normalizeScore: normalizeSpread,
    events: [
      { resource: "Pod", actions: Action.Add | Action.UpdatePodLabel | Action.Delete },
      { resource: "Node", actions: Action.Add | Action.Delete | Action.UpdateNodeLabel | Action.UpdateNodeTaint },
    ],
  };
}

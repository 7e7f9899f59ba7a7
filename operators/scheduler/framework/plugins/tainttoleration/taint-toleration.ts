// TaintToleration (upstream plugins/tainttoleration). Filter: every
// NoSchedule/NoExecute taint must be tolerated; the first one that is not is
// named in the reason. Score: fewer untolerated PreferNoSchedule taints is better.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import { defaultNormalizeScore } from "../../normalize-score.ts";
import type { TolerationLike } from "../../objects.ts";
import { findUntoleratedTaint, tolerationsTolerateTaint } from "../../taints.ts";
import * as names from "../names.ts";

const PREFER_KEY = "PreScoreTaintToleration";

export function taintToleration(): Plugin {
  return {
    name: names.TaintToleration,
    filter(ctx, node) {
      const taint = findUntoleratedTaint(node.taints, ctx.pod.pod.spec?.tolerations);
      if (!taint) return null;
      return status("UnschedulableAndUnresolvable", `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ""}}`);
    },
    preScore(ctx) {
      // An empty effect tolerates every effect, PreferNoSchedule included.
      const prefer = (ctx.pod.pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
      ctx.state.write(PREFER_KEY, prefer);
      return undefined;
    },
    score(ctx, node) {
      const tolerations = ctx.state.read<TolerationLike[]>(PREFER_KEY) ?? [];
      let intolerable = 0;
      for (const taint of node.taints) {
        if (taint.effect === "PreferNoSchedule" && !tolerationsTolerateTaint(tolerations, taint)) intolerable++;
      }
      return intolerable;
    },
    normalizeScore(_ctx, scores) {
      defaultNormalizeScore(scores, true);
    },
    events: [
      { resource: "Node", actions: Action.Add | Action.UpdateNodeTaint },
      { resource: "Pod", actions: Action.UpdatePodToleration },
    ],
  };
}

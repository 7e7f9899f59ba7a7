// InterPodAffinity (upstream plugins/interpodaffinity).
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import * as names from "../names.ts";
import { filterInterPodAffinity, preFilterInterPodAffinity } from "./filtering.ts";
import { normalizeInterPodAffinity, preScoreInterPodAffinity, scoreInterPodAffinity } from "./scoring.ts";

export interface InterPodAffinityArgs {
  /** Weight of placed pods' required affinity terms in the score (upstream default 1). */
  readonly hardPodAffinityWeight?: number;
}

export function interPodAffinity(args: InterPodAffinityArgs = {}): Plugin {
  const hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
  return {
    name: names.InterPodAffinity,
    preFilter: preFilterInterPodAffinity,
    filter: filterInterPodAffinity,
    preScore: (ctx) => preScoreInterPodAffinity(ctx, hardPodAffinityWeight),
    score: scoreInterPodAffinity,
    normalizeScore: normalizeInterPodAffinity,
    events: [
      { resource: "Pod", actions: Action.Add | Action.UpdatePodLabel | Action.Delete },
      { resource: "Node", actions: Action.Add | Action.UpdateNodeLabel },
    ],
  };
}

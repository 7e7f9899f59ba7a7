// NodeAffinity (upstream plugins/nodeaffinity). Filter: spec.nodeSelector
// AND the required node affinity (terms ORed, expressions ANDed). PreFilter
// narrows the candidates when every term pins metadata.name. Score: the
// weights of the preferred terms a node matches, normalized to 0–100.
import { Action } from "../../events.ts";
import type { Plugin } from "../../interface.ts";
import { status } from "../../interface.ts";
import { defaultNormalizeScore } from "../../normalize-score.ts";
import { OBJECT_NAME_FIELD } from "../../objects.ts";
import type { NodeSelectorTermLike } from "../../objects.ts";
import { PreferredTermsScorer, RequiredNodeAffinity } from "../../selectors.ts";
import * as names from "../names.ts";

export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const ErrReasonConflict = "pod affinity terms conflict";

const REQUIRED_KEY = "PreFilterNodeAffinity";
const PREFERRED_KEY = "PreScoreNodeAffinity";

/** The node names every term restricts the pod to, or undefined when some term allows any node. */
function pinnedNodeNames(terms: readonly NodeSelectorTermLike[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== "In") continue;
      // Requirements within a term are ANDed: intersect.
      const values = new Set(r.values ?? []);
      names = names ? new Set([...names].filter((n) => values.has(n))) : values;
    }
    if (!names) return undefined;
    union = new Set([...(union ?? []), ...names]);
  }
  return union;
}

export function nodeAffinity(): Plugin {
  return {
    name: names.NodeAffinity,
    preFilter(ctx) {
      const spec = ctx.pod.pod.spec;
      const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!required && !spec?.nodeSelector) return { skip: true };
      ctx.state.write(REQUIRED_KEY, new RequiredNodeAffinity(ctx.pod.pod));
      if (!required || required.nodeSelectorTerms.length === 0) return undefined;
      const nodeNames = pinnedNodeNames(required.nodeSelectorTerms);
      if (!nodeNames) return undefined;
      if (nodeNames.size === 0) return { status: status("UnschedulableAndUnresolvable", ErrReasonConflict) };
      return { nodeNames };
    },
    filter(ctx, node) {
      const required = ctx.state.read<RequiredNodeAffinity>(REQUIRED_KEY) ?? new RequiredNodeAffinity(ctx.pod.pod);
      return required.matches(node) ? null : status("UnschedulableAndUnresolvable", ErrReasonPod);
    },
    preScore(ctx) {
      const preferred = ctx.pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
      if (!preferred) return "skip";
      ctx.state.write(PREFERRED_KEY, new PreferredTermsScorer(preferred));
      return undefined;
    },
    score(ctx, node) {
      return ctx.state.read<PreferredTermsScorer>(PREFERRED_KEY)?.score(node) ?? 0;
    },
    normalizeScore(_ctx, scores) {
      defaultNormalizeScore(scores, false);
    },
    events: [{ resource: "Node", actions: Action.Add | Action.UpdateNodeLabel }],
  };
}

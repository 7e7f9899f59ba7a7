// A label selector in the string form kubectl and the scale subresource use
// (upstream labels.Selector.String() of metav1.LabelSelectorAsSelector, as
// the built-in scale subresources serve it).
import type { LabelSelector } from "../../api/index.ts";

/**
 * "app=web,tier in (a,b)": requirements sorted by key (matchLabels as `k=v`;
 * In and NotIn with sorted values; Exists as `k`; DoesNotExist as `!k`),
 * "" for an empty selector (which selects everything). Written to status.selector, the scale
 * subresource's labelSelectorPath, where kubectl and an HPA read it.
 */
export function formatLabelSelector(selector: LabelSelector): string {
  const requirements: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) requirements.push({ key, text: `${key}=${value}` });
  for (const e of selector.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    const text = {
      In: `${e.key} in (${values})`,
      NotIn: `${e.key} notin (${values})`,
      Exists: e.key,
      DoesNotExist: `!${e.key}`,
    }[e.operator];
    requirements.push({ key: e.key, text });
  }
  // Stable, so two requirements on one key keep their given order.
  requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return requirements.map((r) => r.text).join(",");
}

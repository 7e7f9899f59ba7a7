// Taints and tolerations (k8s.io/api/core/v1 toleration.go and
// component-helpers scheduling/corev1 FindMatchingUntoleratedTaint).
import type { TaintLike, TolerationLike } from "./objects.ts";

/** An empty effect or key on the toleration is a wildcard; an unset operator means Equal. */
export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "") {
    case "":
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly TolerationLike[] | undefined, taint: TaintLike): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** Taints that keep new pods off a node: NoSchedule and NoExecute (helper.DoNotScheduleTaintsFilterFunc). */
export function isDoNotScheduleTaint(taint: TaintLike): boolean {
  return taint.effect === "NoSchedule" || taint.effect === "NoExecute";
}

/** The first taint passing `filter` that no toleration tolerates, in the node's order. */
export function findUntoleratedTaint(
  taints: readonly TaintLike[] | undefined,
  tolerations: readonly TolerationLike[] | undefined,
  filter: (taint: TaintLike) => boolean = isDoNotScheduleTaint,
): TaintLike | undefined {
  return (taints ?? []).find((taint) => filter(taint) && !tolerationsTolerateTaint(tolerations, taint));
}

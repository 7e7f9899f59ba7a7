// Every namespaced mirror kind quota counts, with its evaluator.
import { kinds } from "../../api/index.ts";
import { RESOURCE_QUOTAS } from "../resource-names.ts";
import { objectCountEvaluator, type Evaluator } from "./evaluator.ts";
import { persistentVolumeClaimEvaluator } from "./persistent-volume-claims.ts";
import { podEvaluator } from "./pods.ts";
import { serviceEvaluator } from "./services.ts";

export const evaluators: readonly Evaluator[] = [
  podEvaluator,
  serviceEvaluator,
  persistentVolumeClaimEvaluator,
  objectCountEvaluator(kinds.ResourceQuota, RESOURCE_QUOTAS),
  objectCountEvaluator(kinds.ReplicaSet),
  objectCountEvaluator(kinds.Deployment),
  objectCountEvaluator(kinds.StatefulSet),
];

/** The evaluator of a resource (plural) in a group, as an AdmissionRequest names it. */
export function evaluatorFor(group: string, resource: string): Evaluator | undefined {
  return evaluators.find((e) => e.kind.group === group && e.kind.plural === resource);
}

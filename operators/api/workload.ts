import { z } from "zod";
import type { LabelSelector } from "./label-selector.ts";
import { BoundedLabelSelectorSchema, labelSelectorMatches } from "./label-selector.ts";
import type { CrossFieldRule } from "./markers.ts";
import { withRules } from "./markers.ts";
import type { PodTemplateSpec } from "./pod-template.ts";

// What ReplicaSet, Deployment and StatefulSet share: replicas, an immutable
// selector that must select the template, the scale subresource fields.

export const ReplicasSchema = z.int32().min(0).default(1);

/** The selector of an apps kind: immutable once created (upstream ValidateImmutableField). */
export const WorkloadSelectorSchema = withRules(BoundedLabelSelectorSchema, [
  { rule: "self == oldSelf", message: "field is immutable" },
]);

const LABELS = "self.template.metadata.labels";
const HAS_LABELS = "has(self.template.metadata) && has(self.template.metadata.labels)";

/** A CEL boolean: the template labels satisfy every matchLabels pair. */
const MATCH_LABELS = `!has(self.selector.matchLabels) || self.selector.matchLabels.all(k, ${HAS_LABELS} && k in ${LABELS} && ${LABELS}[k] == self.selector.matchLabels[k])`;

/** A CEL boolean: the template labels satisfy every matchExpressions requirement. */
const MATCH_EXPRESSIONS =
  `!has(self.selector.matchExpressions) || self.selector.matchExpressions.all(e, ` +
  `(${HAS_LABELS} && e.key in ${LABELS}) ` +
  `? (e.operator == 'In' ? (has(e.values) && ${LABELS}[e.key] in e.values) ` +
  `: e.operator == 'NotIn' ? !(has(e.values) && ${LABELS}[e.key] in e.values) ` +
  `: e.operator == 'Exists') ` +
  `: (e.operator == 'NotIn' || e.operator == 'DoesNotExist'))`;

interface WorkloadSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
}

function isEmptySelector(s: LabelSelector): boolean {
  return Object.keys(s.matchLabels ?? {}).length + (s.matchExpressions ?? []).length === 0;
}

/**
 * Upstream's template validation for an apps kind, with its messages
 * (ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateStatefulSetSpec).
 * `noun` is what upstream's empty-selector message names ("deployment" for
 * both Deployment and ReplicaSet, as upstream says).
 */
export function workloadSpecRules<T extends WorkloadSpec>(noun: string): CrossFieldRule<T>[] {
  return [
    {
      rule: "(has(self.selector.matchLabels) && size(self.selector.matchLabels) > 0) || (has(self.selector.matchExpressions) && size(self.selector.matchExpressions) > 0)",
      message: `empty selector is invalid for ${noun}`,
      fieldPath: ".selector",
      check: (s) => !isEmptySelector(s.selector),
    },
    {
      rule: `${MATCH_LABELS} && (${MATCH_EXPRESSIONS})`,
      message: "`selector` does not match template `labels`",
      fieldPath: ".template.metadata.labels",
      check: (s) => labelSelectorMatches(s.selector, s.template.metadata?.labels ?? {}),
    },
    {
      rule: "self.template.spec.restartPolicy == 'Always'",
      message: 'Unsupported value: supported values: "Always"',
      fieldPath: ".template.spec.restartPolicy",
      reason: "FieldValueInvalid",
      check: (s) => s.template.spec.restartPolicy === "Always",
    },
  ];
}

/**
 * Status fields an apps kind has beyond upstream's, both written by its
 * controller:
 * - selector: the label selector in string form; the scale subresource's
 *   labelSelectorPath points here, so `kubectl scale` and an HPA can find
 *   the Pods (upstream serves it in autoscaling/v1 Scale status.selector).
 * - ready: "ready/desired", the READY column of `kubectl get`.
 */
export const workloadStatusFields = {
  selector: z
    .string()
    .optional()
    .describe(
      "Not upstream: spec.selector in string form (e.g. app=web,tier in (a,b)), the scale subresource's labelSelectorPath.",
    ),
  ready: z
    .string()
    .optional()
    .describe('Not upstream, display only: readyReplicas/spec.replicas, e.g. "2/3" (the READY column).'),
};

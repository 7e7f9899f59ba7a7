import { z } from "zod";
import { maxProperties, withRules } from "./markers.ts";
import { LabelsSchema } from "./meta.ts";

export const LabelSelectorOperatorSchema = z.enum(["In", "NotIn", "Exists", "DoesNotExist"]);

const SET_OPERATORS = ["In", "NotIn"];

function requirementSchema(values: z.ZodArray<z.ZodString>) {
  return withRules(
    z.object({
      key: z.string(),
      operator: LabelSelectorOperatorSchema,
      values: values.optional(),
    }),
    // Upstream ValidateLabelSelectorRequirement, as one rule: a selector
    // sits in many lists of a Pod spec (affinity terms, spread constraints),
    // and each rule there is paid for many times in the CRD's CEL cost budget.
    [
      {
        rule: "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0 : !has(self.values) || size(self.values) == 0",
        message: "values must be non-empty when `operator` is 'In' or 'NotIn', and empty when it is 'Exists' or 'DoesNotExist'",
        fieldPath: ".values",
        check: (r) => SET_OPERATORS.includes(r.operator) === (r.values ?? []).length > 0,
      },
    ],
  );
}

export const LabelSelectorRequirementSchema = requirementSchema(z.array(z.string()));
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirementSchema>;

/** metav1.LabelSelector: matchLabels and matchExpressions are ANDed. */
export const LabelSelectorSchema = z.object({
  matchLabels: LabelsSchema.optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelectorSchema>;

// Bounds for a selector a CEL rule iterates over (not upstream: the API
// server refuses a rule whose worst-case cost it cannot bound; these are
// far above any real selector).
export const SELECTOR_MAX_LABELS = 256;
export const SELECTOR_MAX_EXPRESSIONS = 64;
export const SELECTOR_MAX_VALUES = 256;

/** A LabelSelector with bounded sizes, for the selectors CEL rules compare with a template. */
export const BoundedLabelSelectorSchema = z.object({
  matchLabels: maxProperties(LabelsSchema, SELECTOR_MAX_LABELS).optional(),
  matchExpressions: z
    .array(requirementSchema(z.array(z.string()).max(SELECTOR_MAX_VALUES)))
    .max(SELECTOR_MAX_EXPRESSIONS)
    .optional(),
});

/** Whether a set of labels satisfies a selector (upstream metav1.LabelSelectorAsSelector + Matches). */
export function labelSelectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabels && (selector.matchExpressions ?? []).every((e) => requirementMatches(e, labels));
}

function requirementMatches(r: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const value = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
  const inValues = value !== undefined && (r.values ?? []).includes(value);
  switch (r.operator) {
    case "In":
      return inValues;
    case "NotIn":
      return !inValues;
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
  }
}

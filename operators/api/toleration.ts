import { z } from "zod";
import { withRules } from "./markers.ts";

export const TaintEffectSchema = z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]);
export type TaintEffect = z.infer<typeof TaintEffectSchema>;

/**
 * core/v1 Toleration. An empty effect matches every effect; an unset
 * operator means Equal, as upstream (which leaves it unset too).
 */
export const TolerationSchema = withRules(
  z.object({
    key: z.string().optional(),
    operator: z.enum(["Exists", "Equal"]).optional(),
    value: z.string().optional(),
    effect: z.enum(["", ...TaintEffectSchema.options]).optional(),
    tolerationSeconds: z.int().optional(),
  }),
  // Upstream ValidateTolerations' two operator checks, as one rule:
  // tolerations are an unbounded list in every Pod template, and each rule
  // there is paid for many times in the CRD's CEL cost budget.
  [
    {
      rule: "has(self.operator) && self.operator == 'Exists' ? !has(self.value) || self.value == '' : has(self.key) && self.key != ''",
      message:
        "operator must be Exists when `key` is empty, which means \"match all values and all keys\"; " +
        "value must be empty when `operator` is 'Exists'",
      fieldPath: ".operator",
      check: (t) => (t.operator === "Exists" ? (t.value ?? "") === "" : (t.key ?? "") !== ""),
    },
  ],
);
export type Toleration = z.infer<typeof TolerationSchema>;

import { z } from "zod";
import { LabelSelectorSchema } from "./label-selector.ts";

/** core/v1 TopologySpreadConstraint. */
export const TopologySpreadConstraintSchema = z.object({
  maxSkew: z.int32().min(1),
  topologyKey: z.string().min(1),
  whenUnsatisfiable: z.enum(["DoNotSchedule", "ScheduleAnyway"]),
  labelSelector: LabelSelectorSchema.optional(),
  minDomains: z.int32().min(1).optional(),
  nodeAffinityPolicy: z.enum(["Honor", "Ignore"]).optional(),
  nodeTaintsPolicy: z.enum(["Honor", "Ignore"]).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
});
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraintSchema>;

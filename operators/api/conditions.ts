import { z } from "zod";
import { listMap } from "./markers.ts";
import { TimeSchema } from "./meta.ts";

export const ConditionStatusSchema = z.enum(["True", "False", "Unknown"]);
export type ConditionStatus = z.infer<typeof ConditionStatusSchema>;

/** The fields every built-in workload condition has (apps/v1 ReplicaSetCondition, StatefulSetCondition). */
export const ConditionSchema = z.object({
  type: z.string(),
  status: ConditionStatusSchema,
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: TimeSchema.optional(),
});
export type Condition = z.infer<typeof ConditionSchema>;

/** apps/v1 DeploymentCondition: progress is measured from lastUpdateTime. */
export const DeploymentConditionSchema = ConditionSchema.extend({ lastUpdateTime: TimeSchema.optional() });
export type DeploymentCondition = z.infer<typeof DeploymentConditionSchema>;

/** core/v1 PodCondition. */
export const PodConditionSchema = ConditionSchema.extend({
  lastProbeTime: TimeSchema.optional(),
  observedGeneration: z.int().optional(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

/** core/v1 PersistentVolumeClaimCondition. */
export const PersistentVolumeClaimConditionSchema = ConditionSchema.extend({ lastProbeTime: TimeSchema.optional() });
export type PersistentVolumeClaimCondition = z.infer<typeof PersistentVolumeClaimConditionSchema>;

/** metav1.Condition, the newer shape (Service status): reason, message and time are required. */
export const MetaConditionSchema = ConditionSchema.extend({
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: TimeSchema,
  observedGeneration: z.int().optional(),
});
export type MetaCondition = z.infer<typeof MetaConditionSchema>;

/** A conditions list keyed by type, as upstream marks it (so server-side apply merges by type). */
export function conditionList<S extends z.ZodType>(condition: S) {
  return z.array(condition).meta(listMap("type"));
}

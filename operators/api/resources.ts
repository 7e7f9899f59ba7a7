import { z } from "zod";
import { listMap } from "./markers.ts";
import { ResourceListSchema } from "./quantity.ts";

/** core/v1 ResourceRequirements (containers, and the pod-level resources). */
export const ResourceRequirementsSchema = z.object({
  limits: ResourceListSchema.optional(),
  requests: ResourceListSchema.optional(),
  claims: z
    .array(z.object({ name: z.string(), request: z.string().optional() }))
    .meta(listMap("name"))
    .optional(),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;

/** core/v1 VolumeResourceRequirements (PersistentVolumeClaim spec.resources). */
export const VolumeResourceRequirementsSchema = z.object({
  limits: ResourceListSchema.optional(),
  requests: ResourceListSchema.optional(),
});
export type VolumeResourceRequirements = z.infer<typeof VolumeResourceRequirementsSchema>;

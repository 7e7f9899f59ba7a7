import { z } from "zod";
import { EmbeddedObjectMetaSchema } from "./meta.ts";
import { PodSpecSchema } from "./pod-spec.ts";

/** core/v1 PodTemplateSpec: what ReplicaSet, Deployment and StatefulSet stamp Pods from. */
export const PodTemplateSpecSchema = z.object({
  metadata: EmbeddedObjectMetaSchema.optional(),
  spec: PodSpecSchema,
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;

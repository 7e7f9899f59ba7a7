import { z } from "zod";
import { LabelSelectorSchema } from "./label-selector.ts";

export const NodeSelectorRequirementSchema = z.object({
  key: z.string(),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"]),
  values: z.array(z.string()).optional(),
});
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirementSchema>;

/** Expressions within a term are ANDed. */
export const NodeSelectorTermSchema = z.object({
  matchExpressions: z.array(NodeSelectorRequirementSchema).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema).optional(),
});
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;

/** Terms are ORed. */
export const NodeSelectorSchema = z.object({ nodeSelectorTerms: z.array(NodeSelectorTermSchema) });
export type NodeSelector = z.infer<typeof NodeSelectorSchema>;

const WeightSchema = z.int32().min(1).max(100);

export const PreferredSchedulingTermSchema = z.object({ weight: WeightSchema, preference: NodeSelectorTermSchema });

export const NodeAffinitySchema = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelectorSchema.optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTermSchema).optional(),
});
export type NodeAffinity = z.infer<typeof NodeAffinitySchema>;

export const PodAffinityTermSchema = z.object({
  labelSelector: LabelSelectorSchema.optional(),
  namespaceSelector: LabelSelectorSchema.optional(),
  namespaces: z.array(z.string()).optional(),
  topologyKey: z.string().min(1),
  matchLabelKeys: z.array(z.string()).optional(),
  mismatchLabelKeys: z.array(z.string()).optional(),
});
export type PodAffinityTerm = z.infer<typeof PodAffinityTermSchema>;

export const WeightedPodAffinityTermSchema = z.object({ weight: WeightSchema, podAffinityTerm: PodAffinityTermSchema });
export type WeightedPodAffinityTerm = z.infer<typeof WeightedPodAffinityTermSchema>;

/** The shape of both podAffinity and podAntiAffinity. */
export const PodAffinitySchema = z.object({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(WeightedPodAffinityTermSchema).optional(),
});
export type PodAffinity = z.infer<typeof PodAffinitySchema>;

export const AffinitySchema = z.object({
  nodeAffinity: NodeAffinitySchema.optional(),
  podAffinity: PodAffinitySchema.optional(),
  podAntiAffinity: PodAffinitySchema.optional(),
});
export type Affinity = z.infer<typeof AffinitySchema>;

import { z } from "zod";

/**
 * An object whose content the schema does not type. The CRD generator turns
 * every open-ended object (this, and z.looseObject) into
 * `x-kubernetes-preserve-unknown-fields: true`, so the API server keeps the
 * content instead of pruning it. Used for the deep, rarely read sub-objects
 * of the built-in kinds (securityContext, lifecycle, CSI sources, ...), so
 * that upstream manifests using them still apply under kubectl's strict
 * field validation.
 */
export const PreservedObjectSchema = z.record(z.string(), z.unknown());
export type PreservedObject = z.infer<typeof PreservedObjectSchema>;

/** A list of untyped objects (envFrom, resizePolicy, ephemeralContainers, ...). */
export const PreservedListSchema = z.array(PreservedObjectSchema);

/** Optional untyped objects under the given field names. */
export function preservedFields<const N extends readonly string[]>(
  names: N,
): { [K in N[number]]: z.ZodOptional<typeof PreservedObjectSchema> } {
  return Object.fromEntries(names.map((n) => [n, PreservedObjectSchema.optional()])) as {
    [K in N[number]]: z.ZodOptional<typeof PreservedObjectSchema>;
  };
}

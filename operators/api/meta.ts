import { z } from "zod";

/** metav1.Time: RFC 3339, as the API server serialises it ("2024-05-01T10:00:00Z"). */
export const TimeSchema = z.iso.datetime({ offset: true });

// Label values are validated by the API server only on an object's own
// metadata; in templates and selectors the schema has to do it. The length
// bound is upstream's, and it also keeps CEL cost estimates small.
const LabelValueSchema = z
  .string()
  .max(63)
  .regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/, {
    error: "a label value must be 63 characters or less, and begin and end with an alphanumeric character",
  });

export const LabelsSchema = z.record(z.string(), LabelValueSchema);
export type Labels = z.infer<typeof LabelsSchema>;

export const OwnerReferenceSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

/**
 * The ObjectMeta fields controllers read. Loose, so that parsing never drops
 * the fields it does not list (managedFields, ...) from an object that is
 * written back. The CRD emits the root metadata as a bare object, because
 * the API server validates it itself.
 */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.int().optional(),
  // null is how upstream serialises an unset time (manifests made by
  // `kubectl create -o yaml` carry `creationTimestamp: null`).
  creationTimestamp: TimeSchema.nullish(),
  deletionTimestamp: TimeSchema.nullish(),
  deletionGracePeriodSeconds: z.int().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
  finalizers: z.array(z.string()).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/**
 * Metadata of an object embedded in a template (a Pod template, a
 * volumeClaimTemplate). Typed: the fields a controller copies into the
 * objects it creates (a bare object would be pruned empty: only the
 * resource root's metadata is exempt). Loose, i.e. preserve-unknown: upstream
 * accepts any ObjectMeta field here, and generated manifests carry some
 * (`kubectl create deployment -o yaml` writes `creationTimestamp: null`),
 * which kubectl's strict field validation would otherwise reject.
 */
export const EmbeddedObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: LabelsSchema.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  finalizers: z.array(z.string()).optional(),
});
export type EmbeddedObjectMeta = z.infer<typeof EmbeddedObjectMetaSchema>;

/** core/v1 ObjectReference (PV claimRef, endpoint targetRef). */
export const ObjectReferenceSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

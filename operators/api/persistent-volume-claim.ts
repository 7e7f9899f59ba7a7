import { z } from "zod";
import { conditionList, PersistentVolumeClaimConditionSchema } from "./conditions.ts";
import { CORE_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { LabelSelectorSchema } from "./label-selector.ts";
import { withRules } from "./markers.ts";
import { PreservedObjectSchema } from "./preserved.ts";
import { ResourceListSchema } from "./quantity.ts";
import { VolumeResourceRequirementsSchema } from "./resources.ts";

export const AccessModeSchema = z.enum(["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]);
export type AccessMode = z.infer<typeof AccessModeSchema>;

export const VolumeModeSchema = z.enum(["Filesystem", "Block"]);

const TypedObjectReferenceSchema = z.object({
  apiGroup: z.string().optional(),
  kind: z.string(),
  name: z.string(),
});

/** core/v1 PersistentVolumeClaimSpec; also the spec of a StatefulSet volumeClaimTemplate. */
export const PersistentVolumeClaimSpecSchema = withRules(
  z.object({
    accessModes: z.array(AccessModeSchema).min(1, { error: "at least 1 access mode is required" }),
    resources: VolumeResourceRequirementsSchema,
    selector: LabelSelectorSchema.optional(),
    storageClassName: z.string().optional(),
    volumeName: z.string().optional(),
    volumeMode: VolumeModeSchema.default("Filesystem"),
    volumeAttributesClassName: z.string().optional(),
    dataSource: TypedObjectReferenceSchema.optional(),
    dataSourceRef: TypedObjectReferenceSchema.extend({ namespace: z.string().optional() }).optional(),
  }),
  // Upstream ValidatePersistentVolumeClaimSpec.
  [
    {
      rule: "has(self.resources.requests) && 'storage' in self.resources.requests",
      message: "a storage request is required (resources.requests.storage)",
      fieldPath: ".resources",
      reason: "FieldValueRequired",
      check: (s) => s.resources.requests?.storage !== undefined,
    },
  ],
);
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpecSchema>;

export const PersistentVolumeClaimStatusSchema = z.object({
  phase: z.enum(["Pending", "Bound", "Lost"]).default("Pending"),
  accessModes: z.array(AccessModeSchema).optional(),
  capacity: ResourceListSchema.optional(),
  conditions: conditionList(PersistentVolumeClaimConditionSchema).optional(),
  allocatedResources: ResourceListSchema.optional(),
  allocatedResourceStatuses: z.record(z.string(), z.string()).optional(),
  currentVolumeAttributesClassName: z.string().optional(),
  modifyVolumeStatus: PreservedObjectSchema.optional(),
});
export type PersistentVolumeClaimStatus = z.infer<typeof PersistentVolumeClaimStatusSchema>;

export const PersistentVolumeClaimKind = defineKind({
  group: CORE_GROUP,
  kind: "PersistentVolumeClaim",
  plural: "persistentvolumeclaims",
  shortNames: ["mpvc"],
  scope: "Namespaced",
  shape: {
    spec: PersistentVolumeClaimSpecSchema,
    status: PersistentVolumeClaimStatusSchema.prefault({}),
  },
  printerColumns: [
    { name: "Status", type: "string", jsonPath: ".status.phase" },
    { name: "Volume", type: "string", jsonPath: ".spec.volumeName" },
    { name: "Capacity", type: "string", jsonPath: ".status.capacity.storage" },
    { name: "Access Modes", type: "string", jsonPath: ".status.accessModes" },
    { name: "StorageClass", type: "string", jsonPath: ".spec.storageClassName" },
    { name: "VolumeAttributesClass", type: "string", jsonPath: ".spec.volumeAttributesClassName" },
    AGE_COLUMN,
    { name: "VolumeMode", type: "string", jsonPath: ".spec.volumeMode", priority: 1 },
  ],
});

export const PersistentVolumeClaimSchema = PersistentVolumeClaimKind.schema;
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaimSchema>;
export type PersistentVolumeClaimInput = z.input<typeof PersistentVolumeClaimSchema>;

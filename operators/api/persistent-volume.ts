import { z } from "zod";
import { NodeSelectorSchema } from "./affinity.ts";
import { CORE_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { ObjectReferenceSchema, TimeSchema } from "./meta.ts";
import { AccessModeSchema, VolumeModeSchema } from "./persistent-volume-claim.ts";
import { preservedFields } from "./preserved.ts";
import { ResourceListSchema } from "./quantity.ts";
import { HostPathVolumeSourceSchema, PASS_THROUGH_VOLUME_SOURCES } from "./volume.ts";

export const ReclaimPolicySchema = z.enum(["Retain", "Delete", "Recycle"]);
export type ReclaimPolicy = z.infer<typeof ReclaimPolicySchema>;

/**
 * core/v1 PersistentVolumeSpec, every upstream field, with upstream's
 * defaults. Typed: what binding and provisioning read, and the hostPath and
 * local sources the hostpath provisioner writes; other sources are preserved.
 */
export const PersistentVolumeSpecSchema = z.object({
  capacity: ResourceListSchema.optional(),
  accessModes: z.array(AccessModeSchema).optional(),
  claimRef: ObjectReferenceSchema.optional(),
  persistentVolumeReclaimPolicy: ReclaimPolicySchema.default("Retain"),
  storageClassName: z.string().optional(),
  volumeMode: VolumeModeSchema.default("Filesystem"),
  volumeAttributesClassName: z.string().optional(),
  mountOptions: z.array(z.string()).optional(),
  nodeAffinity: z.object({ required: NodeSelectorSchema.optional() }).optional(),
  hostPath: HostPathVolumeSourceSchema.optional(),
  local: z.object({ path: z.string().min(1), fsType: z.string().optional() }).optional(),
  ...preservedFields(PASS_THROUGH_VOLUME_SOURCES),
});
export type PersistentVolumeSpec = z.infer<typeof PersistentVolumeSpecSchema>;

export const PersistentVolumeStatusSchema = z.object({
  phase: z.enum(["Pending", "Available", "Bound", "Released", "Failed"]).default("Pending"),
  message: z.string().optional(),
  reason: z.string().optional(),
  lastPhaseTransitionTime: TimeSchema.optional(),
});
export type PersistentVolumeStatus = z.infer<typeof PersistentVolumeStatusSchema>;

export const PersistentVolumeKind = defineKind({
  group: CORE_GROUP,
  kind: "PersistentVolume",
  plural: "persistentvolumes",
  shortNames: ["mpv"],
  scope: "Cluster",
  shape: {
    spec: PersistentVolumeSpecSchema.prefault({}),
    status: PersistentVolumeStatusSchema.prefault({}),
  },
  printerColumns: [
    { name: "Capacity", type: "string", jsonPath: ".spec.capacity.storage" },
    { name: "Access Modes", type: "string", jsonPath: ".spec.accessModes" },
    { name: "Reclaim Policy", type: "string", jsonPath: ".spec.persistentVolumeReclaimPolicy" },
    { name: "Status", type: "string", jsonPath: ".status.phase" },
    { name: "Claim", type: "string", jsonPath: ".spec.claimRef.name", description: "Name of the bound claim." },
    { name: "StorageClass", type: "string", jsonPath: ".spec.storageClassName" },
    { name: "VolumeAttributesClass", type: "string", jsonPath: ".spec.volumeAttributesClassName" },
    { name: "Reason", type: "string", jsonPath: ".status.reason" },
    AGE_COLUMN,
    { name: "VolumeMode", type: "string", jsonPath: ".spec.volumeMode", priority: 1 },
  ],
});

export const PersistentVolumeSchema = PersistentVolumeKind.schema;
export type PersistentVolume = z.infer<typeof PersistentVolumeSchema>;
export type PersistentVolumeInput = z.input<typeof PersistentVolumeSchema>;

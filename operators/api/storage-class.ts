import { z } from "zod";
import { STORAGE_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";

/** The mirrorkube provisioner: creates hostPath PVs on the node the scheduler picked. */
export const HOSTPATH_PROVISIONER = "mirrorkube.dev/hostpath";

/**
 * storage.k8s.io/v1 StorageClass. Like upstream it has no spec or status:
 * its fields sit at the top level.
 */
export const StorageClassKind = defineKind({
  group: STORAGE_GROUP,
  kind: "StorageClass",
  plural: "storageclasses",
  shortNames: ["msc"],
  scope: "Cluster",
  shape: {
    provisioner: z.string().min(1),
    parameters: z.record(z.string(), z.string()).optional(),
    reclaimPolicy: z.enum(["Delete", "Retain"]).default("Delete"),
    volumeBindingMode: z.enum(["Immediate", "WaitForFirstConsumer"]).default("Immediate"),
    allowVolumeExpansion: z.boolean().optional(),
    mountOptions: z.array(z.string()).optional(),
    allowedTopologies: z
      .array(
        z.object({
          matchLabelExpressions: z.array(z.object({ key: z.string(), values: z.array(z.string()) })).optional(),
        }),
      )
      .optional(),
  },
  printerColumns: [
    { name: "Provisioner", type: "string", jsonPath: ".provisioner" },
    { name: "ReclaimPolicy", type: "string", jsonPath: ".reclaimPolicy" },
    { name: "VolumeBindingMode", type: "string", jsonPath: ".volumeBindingMode" },
    { name: "AllowVolumeExpansion", type: "boolean", jsonPath: ".allowVolumeExpansion" },
    AGE_COLUMN,
  ],
});

export const StorageClassSchema = StorageClassKind.schema;
export type StorageClass = z.infer<typeof StorageClassSchema>;
export type StorageClassInput = z.input<typeof StorageClassSchema>;

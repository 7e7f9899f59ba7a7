import { z } from "zod";
import { DNSLabelSchema } from "./container.ts";
import { preservedFields } from "./preserved.ts";
import { QuantitySchema } from "./quantity.ts";

/**
 * The volume plugins both a Pod volume and a PersistentVolume can name.
 * mirrorkube never acts on them, so they are preserved as written (the
 * realizer passes them through to the real Pod).
 */
export const PASS_THROUGH_VOLUME_SOURCES = [
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "cephfs",
  "cinder",
  "csi",
  "fc",
  "flexVolume",
  "flocker",
  "gcePersistentDisk",
  "glusterfs",
  "iscsi",
  "nfs",
  "photonPersistentDisk",
  "portworxVolume",
  "quobyte",
  "rbd",
  "scaleIO",
  "storageos",
  "vsphereVolume",
] as const;

export const PersistentVolumeClaimVolumeSourceSchema = z.object({
  claimName: z.string().min(1),
  readOnly: z.boolean().optional(),
});

export const HostPathTypeSchema = z.enum([
  "",
  "DirectoryOrCreate",
  "Directory",
  "FileOrCreate",
  "File",
  "Socket",
  "CharDevice",
  "BlockDevice",
]);

export const HostPathVolumeSourceSchema = z.object({
  path: z.string().min(1),
  type: HostPathTypeSchema.default(""),
});
export type HostPathVolumeSource = z.infer<typeof HostPathVolumeSourceSchema>;

export const EmptyDirVolumeSourceSchema = z.object({
  medium: z.string().optional(),
  sizeLimit: QuantitySchema.optional(),
});

const KeyToPathSchema = z.object({ key: z.string(), path: z.string(), mode: z.int32().optional() });

// 0644, upstream's default file mode for projected content.
const DEFAULT_MODE = 0o644;

export const ConfigMapVolumeSourceSchema = z.object({
  name: z.string().optional(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: z.int32().default(DEFAULT_MODE),
  optional: z.boolean().optional(),
});

export const SecretVolumeSourceSchema = z.object({
  secretName: z.string().optional(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: z.int32().default(DEFAULT_MODE),
  optional: z.boolean().optional(),
});

/**
 * core/v1 Volume, every upstream source. Typed: the sources mirrorkube acts
 * on (persistentVolumeClaim, hostPath) and the everyday ones; every other
 * source is preserved as written.
 */
export const VolumeSchema = z.object({
  name: DNSLabelSchema,
  persistentVolumeClaim: PersistentVolumeClaimVolumeSourceSchema.optional(),
  hostPath: HostPathVolumeSourceSchema.optional(),
  emptyDir: EmptyDirVolumeSourceSchema.optional(),
  configMap: ConfigMapVolumeSourceSchema.optional(),
  secret: SecretVolumeSourceSchema.optional(),
  ...preservedFields(["downwardAPI", "ephemeral", "gitRepo", "image", "projected", ...PASS_THROUGH_VOLUME_SOURCES]),
});
export type Volume = z.infer<typeof VolumeSchema>;

import { z } from "zod";
import { listMap } from "./markers.ts";
import { PreservedListSchema, PreservedObjectSchema } from "./preserved.ts";
import { ProbeSchema } from "./probe.ts";
import { QuantitySchema } from "./quantity.ts";
import { ResourceRequirementsSchema } from "./resources.ts";

/** DNS-1123 label: container names, volume names (upstream IsDNS1123Label). */
export const DNSLabelSchema = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    error: "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  });

export const ProtocolSchema = z.enum(["TCP", "UDP", "SCTP"]);
export type Protocol = z.infer<typeof ProtocolSchema>;

export const PortNumberSchema = z.int32().min(1).max(65535);

export const ContainerPortSchema = z.object({
  name: z.string().max(15).optional(),
  containerPort: PortNumberSchema,
  protocol: ProtocolSchema.default("TCP"),
  hostPort: z.int32().min(0).max(65535).optional(),
  hostIP: z.string().optional(),
});
export type ContainerPort = z.infer<typeof ContainerPortSchema>;

const KeySelectorSchema = z.object({ name: z.string().optional(), key: z.string(), optional: z.boolean().optional() });

export const EnvVarSourceSchema = z.object({
  fieldRef: z.object({ apiVersion: z.string().default("v1"), fieldPath: z.string() }).optional(),
  resourceFieldRef: z
    .object({ containerName: z.string().optional(), resource: z.string(), divisor: QuantitySchema.optional() })
    .optional(),
  configMapKeyRef: KeySelectorSchema.optional(),
  secretKeyRef: KeySelectorSchema.optional(),
  fileKeyRef: PreservedObjectSchema.optional(),
});

export const EnvVarSchema = z.object({
  name: z.string().min(1),
  value: z.string().optional(),
  valueFrom: EnvVarSourceSchema.optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

export const VolumeMountSchema = z.object({
  name: z.string(),
  mountPath: z.string().min(1),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.enum(["Disabled", "IfPossible", "Enabled"]).optional(),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  mountPropagation: z.enum(["None", "HostToContainer", "Bidirectional"]).optional(),
});
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

/**
 * core/v1 Container, every upstream field. Typed: what controllers, the
 * scheduler and the realizer read. Preserve-unknown: securityContext,
 * lifecycle, envFrom, resizePolicy, restartPolicyRules.
 *
 * imagePullPolicy has no default here: upstream derives it from the image
 * tag (Always for :latest), which a schema cannot express; the real Pod the
 * realizer creates gets it from the real API server.
 */
export const ContainerSchema = z.object({
  name: DNSLabelSchema,
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  ports: z.array(ContainerPortSchema).meta(listMap("containerPort", "protocol")).optional(),
  env: z.array(EnvVarSchema).meta(listMap("name")).optional(),
  envFrom: PreservedListSchema.optional(),
  resources: ResourceRequirementsSchema.optional(),
  resizePolicy: PreservedListSchema.optional(),
  restartPolicy: z.enum(["Always", "OnFailure", "Never"]).optional(),
  restartPolicyRules: PreservedListSchema.optional(),
  volumeMounts: z.array(VolumeMountSchema).meta(listMap("mountPath")).optional(),
  volumeDevices: z
    .array(z.object({ name: z.string(), devicePath: z.string() }))
    .meta(listMap("devicePath"))
    .optional(),
  livenessProbe: ProbeSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  lifecycle: PreservedObjectSchema.optional(),
  terminationMessagePath: z.string().default("/dev/termination-log"),
  terminationMessagePolicy: z.enum(["File", "FallbackToLogsOnError"]).default("File"),
  imagePullPolicy: z.enum(["Always", "Never", "IfNotPresent"]).optional(),
  securityContext: PreservedObjectSchema.optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

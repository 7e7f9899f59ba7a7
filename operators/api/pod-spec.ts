import { z } from "zod";
import { AffinitySchema } from "./affinity.ts";
import { ContainerSchema } from "./container.ts";
import { listMap } from "./markers.ts";
import { PreservedListSchema, PreservedObjectSchema } from "./preserved.ts";
import { ResourceListSchema } from "./quantity.ts";
import { ResourceRequirementsSchema } from "./resources.ts";
import { TolerationSchema } from "./toleration.ts";
import { TopologySpreadConstraintSchema } from "./topology-spread.ts";
import { VolumeSchema } from "./volume.ts";

const NameRefSchema = z.object({ name: z.string() });

/** The schedulerName that mirrorkube's own scheduler serves. */
export const MIRRORKUBE_SCHEDULER = "mirrorkube-scheduler";

/**
 * core/v1 PodSpec, every upstream field, with upstream's defaults
 * (SetDefaults_PodSpec). Typed: what the controllers, the scheduler and the
 * realizer read. Preserve-unknown: securityContext, dnsConfig,
 * ephemeralContainers, resourceClaims.
 */
export const PodSpecSchema = z.object({
  containers: z.array(ContainerSchema).min(1).meta(listMap("name")),
  initContainers: z.array(ContainerSchema).meta(listMap("name")).optional(),
  ephemeralContainers: PreservedListSchema.optional(),
  volumes: z.array(VolumeSchema).meta(listMap("name")).optional(),

  // Scheduling.
  nodeName: z.string().optional(),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  affinity: AffinitySchema.optional(),
  tolerations: z.array(TolerationSchema).optional(),
  topologySpreadConstraints: z
    .array(TopologySpreadConstraintSchema)
    .meta(listMap("topologyKey", "whenUnsatisfiable"))
    .optional(),
  // Not upstream's default: a mirror Pod is placed by mirrorkube's scheduler
  // unless it asks for "default-scheduler" (then kube-scheduler places its real Pod).
  schedulerName: z.string().default(MIRRORKUBE_SCHEDULER),
  schedulingGates: z.array(NameRefSchema).meta(listMap("name")).optional(),
  priorityClassName: z.string().optional(),
  priority: z.int32().optional(),
  preemptionPolicy: z.enum(["PreemptLowerPriority", "Never"]).optional(),
  runtimeClassName: z.string().optional(),
  overhead: ResourceListSchema.optional(),
  resources: ResourceRequirementsSchema.optional(),
  resourceClaims: PreservedListSchema.optional(),
  os: z.object({ name: z.enum(["linux", "windows"]) }).optional(),

  // Lifecycle.
  restartPolicy: z.enum(["Always", "OnFailure", "Never"]).default("Always"),
  terminationGracePeriodSeconds: z.int().min(0).default(30),
  activeDeadlineSeconds: z.int().min(1).optional(),
  readinessGates: z.array(z.object({ conditionType: z.string() })).optional(),

  // Identity and networking.
  hostname: z.string().optional(),
  hostnameOverride: z.string().optional(),
  subdomain: z.string().optional(),
  setHostnameAsFQDN: z.boolean().optional(),
  hostNetwork: z.boolean().optional(),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  hostUsers: z.boolean().optional(),
  shareProcessNamespace: z.boolean().optional(),
  dnsPolicy: z.enum(["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]).default("ClusterFirst"),
  dnsConfig: PreservedObjectSchema.optional(),
  hostAliases: z
    .array(z.object({ ip: z.string(), hostnames: z.array(z.string()).optional() }))
    .meta(listMap("ip"))
    .optional(),
  enableServiceLinks: z.boolean().optional(),

  // Identity towards the API and registries.
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(),
  automountServiceAccountToken: z.boolean().optional(),
  imagePullSecrets: z.array(NameRefSchema).meta(listMap("name")).optional(),
  securityContext: PreservedObjectSchema.optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

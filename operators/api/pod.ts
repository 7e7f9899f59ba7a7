import { z } from "zod";
import { conditionList, PodConditionSchema } from "./conditions.ts";
import type { Container } from "./container.ts";
import { CORE_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { listMap, withRules } from "./markers.ts";
import { TimeSchema } from "./meta.ts";
import { PodSpecSchema } from "./pod-spec.ts";
import { PreservedListSchema, PreservedObjectSchema } from "./preserved.ts";
import { ResourceListSchema } from "./quantity.ts";
import { ResourceRequirementsSchema } from "./resources.ts";

export const PodPhaseSchema = z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]);
export type PodPhase = z.infer<typeof PodPhaseSchema>;

export const ContainerStateSchema = z.object({
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.object({ startedAt: TimeSchema.optional() }).optional(),
  terminated: z
    .object({
      exitCode: z.int32(),
      signal: z.int32().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startedAt: TimeSchema.optional(),
      finishedAt: TimeSchema.optional(),
      containerID: z.string().optional(),
    })
    .optional(),
});
export type ContainerState = z.infer<typeof ContainerStateSchema>;

/** core/v1 ContainerStatus, as the realizer copies it from the real Pod. */
export const ContainerStatusSchema = z.object({
  name: z.string(),
  state: ContainerStateSchema.optional(),
  lastState: ContainerStateSchema.optional(),
  ready: z.boolean().default(false),
  restartCount: z.int32().min(0).default(0),
  image: z.string().default(""),
  imageID: z.string().default(""),
  containerID: z.string().optional(),
  started: z.boolean().optional(),
  allocatedResources: ResourceListSchema.optional(),
  resources: ResourceRequirementsSchema.optional(),
  stopSignal: z.string().optional(),
  user: PreservedObjectSchema.optional(),
  volumeMounts: PreservedListSchema.optional(),
  allocatedResourcesStatus: PreservedListSchema.optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;

const IPSchema = z.object({ ip: z.string() });

/**
 * core/v1 PodStatus, plus three display-only fields (not upstream) that the
 * realizer fills, because `kubectl get` computes these columns in Go and a
 * CRD printer column can only be a JSONPath.
 */
export const PodStatusSchema = z.object({
  phase: PodPhaseSchema.default("Pending"),
  conditions: conditionList(PodConditionSchema).optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  nominatedNodeName: z.string().optional(),
  hostIP: z.string().optional(),
  hostIPs: z.array(IPSchema).optional(),
  podIP: z.string().optional(),
  podIPs: z.array(IPSchema).meta(listMap("ip")).optional(),
  startTime: TimeSchema.optional(),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  ephemeralContainerStatuses: PreservedListSchema.optional(),
  qosClass: z.enum(["Guaranteed", "Burstable", "BestEffort"]).optional(),
  observedGeneration: z.int().optional(),
  resize: z.string().optional(),
  resourceClaimStatuses: PreservedListSchema.optional(),

  ready: z
    .string()
    .optional()
    .describe('Not upstream, display only: ready/total containers, e.g. "1/2" (the READY column).'),
  restarts: z
    .int32()
    .min(0)
    .optional()
    .describe("Not upstream, display only: restarts summed over containers (the RESTARTS column)."),
  display: z
    .string()
    .optional()
    .describe(
      "Not upstream, display only: the status kubectl would print, e.g. Running, ContainerCreating, " +
        "CrashLoopBackOff, Init:0/1, Terminating, Completed (the STATUS column).",
    ),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;

// Upstream SetDefaults_Pod: a container that sets a limit but no request
// requests its limit. It depends on two fields, so only parse() can apply
// it; the scheduler must see the same requests the real Pod will have.
function defaultRequestsToLimits(containers: Container[]): Container[] {
  return containers.map((c) => {
    const limits = c.resources?.limits;
    if (!limits) return c;
    return { ...c, resources: { ...c.resources, requests: { ...limits, ...c.resources?.requests } } };
  });
}

/**
 * A Pod's own spec: PodSpec, plus what upstream defaults or enforces only on
 * a Pod and not in templates.
 */
export const PodObjectSpecSchema = withRules(
  PodSpecSchema.extend({ enableServiceLinks: z.boolean().default(true) }),
  [
    {
      rule: "!has(oldSelf.nodeName) || oldSelf.nodeName == '' || (has(self.nodeName) && self.nodeName == oldSelf.nodeName)",
      message: "nodeName may not be changed once set (the pod is bound)",
      fieldPath: ".nodeName",
    },
  ],
).overwrite((spec) => ({
  ...spec,
  containers: defaultRequestsToLimits(spec.containers),
  ...(spec.initContainers && { initContainers: defaultRequestsToLimits(spec.initContainers) }),
}));

export const PodKind = defineKind({
  group: CORE_GROUP,
  kind: "Pod",
  plural: "pods",
  // kubectl does not pluralise short names; "mpods" lets `kubectl get mpods` work as `kubectl get pods` does.
  shortNames: ["mpod", "mpods"],
  scope: "Namespaced",
  shape: {
    spec: PodObjectSpecSchema,
    status: PodStatusSchema.prefault({}),
  },
  printerColumns: [
    { name: "Ready", type: "string", jsonPath: ".status.ready", description: "Ready/total containers." },
    { name: "Status", type: "string", jsonPath: ".status.display", description: "The aggregate status of the containers." },
    { name: "Restarts", type: "integer", jsonPath: ".status.restarts", description: "Restarts summed over containers." },
    AGE_COLUMN,
    { name: "IP", type: "string", jsonPath: ".status.podIP", priority: 1 },
    { name: "Node", type: "string", jsonPath: ".spec.nodeName", priority: 1 },
    { name: "Nominated Node", type: "string", jsonPath: ".status.nominatedNodeName", priority: 1 },
  ],
});

export const PodSchema = PodKind.schema;
export type Pod = z.infer<typeof PodSchema>;
export type PodInput = z.input<typeof PodSchema>;

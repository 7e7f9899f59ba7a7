import { z } from "zod";
import { conditionList, MetaConditionSchema } from "./conditions.ts";
import { PortNumberSchema, ProtocolSchema } from "./container.ts";
import { CORE_GROUP } from "./groups.ts";
import { IntOrStringSchema } from "./int-or-string.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { listMap } from "./markers.ts";
import { ObjectReferenceSchema } from "./meta.ts";

export const ServiceTypeSchema = z.enum(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]);
export type ServiceType = z.infer<typeof ServiceTypeSchema>;

/**
 * core/v1 ServicePort. targetPort defaults to port upstream; a schema
 * default cannot refer to another field, so parse() applies it.
 */
export const ServicePortSchema = z
  .object({
    name: z.string().optional(),
    protocol: ProtocolSchema.default("TCP"),
    appProtocol: z.string().optional(),
    port: PortNumberSchema,
    targetPort: IntOrStringSchema.optional(),
    nodePort: z.int32().optional(),
  })
  .overwrite((p) => ({ ...p, targetPort: p.targetPort ?? p.port }));
export type ServicePort = z.infer<typeof ServicePortSchema>;

const EXTERNALLY_ACCESSIBLE: ServiceType[] = ["NodePort", "LoadBalancer"];

/** core/v1 ServiceSpec, every upstream field, with upstream's defaults (SetDefaults_Service). */
export const ServiceSpecSchema = z
  .object({
    type: ServiceTypeSchema.default("ClusterIP"),
    selector: z.record(z.string(), z.string()).optional(),
    ports: z.array(ServicePortSchema).meta(listMap("port", "protocol")).optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    ipFamilies: z.array(z.enum(["IPv4", "IPv6"])).optional(),
    ipFamilyPolicy: z.enum(["SingleStack", "PreferDualStack", "RequireDualStack"]).optional(),
    externalIPs: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
    internalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
    healthCheckNodePort: z.int32().optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    sessionAffinity: z.enum(["None", "ClientIP"]).default("None"),
    sessionAffinityConfig: z
      .object({ clientIP: z.object({ timeoutSeconds: z.int32().min(1).max(86400).optional() }).optional() })
      .optional(),
    loadBalancerIP: z.string().optional(),
    loadBalancerClass: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
    trafficDistribution: z.string().optional(),
  })
  // Upstream defaults that depend on the type.
  .overwrite((s) => ({
    ...s,
    ...(s.type !== "ExternalName" && { internalTrafficPolicy: s.internalTrafficPolicy ?? "Cluster" }),
    ...(EXTERNALLY_ACCESSIBLE.includes(s.type) && { externalTrafficPolicy: s.externalTrafficPolicy ?? "Cluster" }),
  }));
export type ServiceSpec = z.infer<typeof ServiceSpecSchema>;

/** discovery.k8s.io/v1 EndpointPort. */
export const EndpointPortSchema = z.object({
  name: z.string().optional(),
  port: z.int32().optional(),
  protocol: ProtocolSchema.optional(),
  appProtocol: z.string().optional(),
});
export type EndpointPort = z.infer<typeof EndpointPortSchema>;

/** discovery.k8s.io/v1 Endpoint. */
export const EndpointSchema = z.object({
  addresses: z.array(z.string()).min(1).meta({ "x-kubernetes-list-type": "set" }),
  conditions: z
    .object({ ready: z.boolean().optional(), serving: z.boolean().optional(), terminating: z.boolean().optional() })
    .prefault({}),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  zone: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/** Upstream's maxEndpointsPerSlice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/**
 * discovery.k8s.io/v1 EndpointSlice without its object metadata: the
 * endpoints that share one address type and one set of resolved ports (a
 * named targetPort can resolve to a different number on each Pod).
 */
export const EndpointSliceSchema = z.object({
  addressType: z.enum(["IPv4", "IPv6", "FQDN"]),
  ports: z.array(EndpointPortSchema).optional(),
  endpoints: z.array(EndpointSchema).max(MAX_ENDPOINTS_PER_SLICE),
});
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;

/**
 * core/v1 ServiceStatus, plus `endpointSlices` (not upstream): the Pods the
 * Service selects, as the EndpointSlice controller would publish them for
 * it, so `kubectl get msvc -o yaml` shows what the Service routes to.
 */
export const ServiceStatusSchema = z.object({
  loadBalancer: z
    .object({
      ingress: z
        .array(
          z.object({
            ip: z.string().optional(),
            hostname: z.string().optional(),
            ipMode: z.enum(["VIP", "Proxy"]).optional(),
            ports: z
              .array(z.object({ port: z.int32(), protocol: ProtocolSchema, error: z.string().optional() }))
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  conditions: conditionList(MetaConditionSchema).optional(),
  endpointSlices: z
    .array(EndpointSliceSchema)
    .optional()
    .describe(
      "Not upstream: the selected Pods' endpoints as the EndpointSlice controller groups them " +
        "(one group per address type and resolved port set, at most 100 endpoints each).",
    ),
});
export type ServiceStatus = z.infer<typeof ServiceStatusSchema>;

export const ServiceKind = defineKind({
  group: CORE_GROUP,
  kind: "Service",
  plural: "services",
  shortNames: ["msvc"],
  scope: "Namespaced",
  shape: {
    spec: ServiceSpecSchema.prefault({}),
    status: ServiceStatusSchema.optional(),
  },
  printerColumns: [
    { name: "Type", type: "string", jsonPath: ".spec.type" },
    { name: "Cluster-IP", type: "string", jsonPath: ".spec.clusterIP" },
    {
      name: "External-IP",
      type: "string",
      jsonPath: ".status.loadBalancer.ingress[0].ip",
      description: "The first load-balancer ingress IP.",
    },
    { name: "Port(s)", type: "string", jsonPath: ".spec.ports[0].port", description: "The first port." },
    AGE_COLUMN,
  ],
});

export const ServiceSchema = ServiceKind.schema;
export type Service = z.infer<typeof ServiceSchema>;
export type ServiceInput = z.input<typeof ServiceSchema>;

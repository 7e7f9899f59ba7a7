import { z } from "zod";
import { CORE_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { ResourceListSchema } from "./quantity.ts";

export const ResourceQuotaScopeSchema = z.enum([
  "Terminating",
  "NotTerminating",
  "BestEffort",
  "NotBestEffort",
  "PriorityClass",
  "CrossNamespacePodAffinity",
  "VolumeAttributesClass",
]);

export const ResourceQuotaSpecSchema = z.object({
  hard: ResourceListSchema.optional(),
  scopes: z.array(ResourceQuotaScopeSchema).optional(),
  scopeSelector: z
    .object({
      matchExpressions: z
        .array(
          z.object({
            scopeName: ResourceQuotaScopeSchema,
            operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
            values: z.array(z.string()).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type ResourceQuotaSpec = z.infer<typeof ResourceQuotaSpecSchema>;

/**
 * core/v1 ResourceQuotaStatus, plus two display-only strings (not upstream)
 * that the quota controller fills, because kubectl computes its REQUEST and
 * LIMIT columns in Go: "<resource>: <used>/<hard>" joined by ", ", sorted,
 * the limits.* resources in `limit` and all others in `request`.
 */
export const ResourceQuotaStatusSchema = z.object({
  hard: ResourceListSchema.optional(),
  used: ResourceListSchema.optional(),
  request: z
    .string()
    .optional()
    .describe('Not upstream, display only: e.g. "pods: 1/10, requests.cpu: 500m/2" (the REQUEST column).'),
  limit: z
    .string()
    .optional()
    .describe('Not upstream, display only: e.g. "limits.cpu: 1/4" (the LIMIT column).'),
});
export type ResourceQuotaStatus = z.infer<typeof ResourceQuotaStatusSchema>;

export const ResourceQuotaKind = defineKind({
  group: CORE_GROUP,
  kind: "ResourceQuota",
  plural: "resourcequotas",
  shortNames: ["mquota"],
  scope: "Namespaced",
  shape: {
    spec: ResourceQuotaSpecSchema.prefault({}),
    status: ResourceQuotaStatusSchema.optional(),
  },
  printerColumns: [
    { name: "Request", type: "string", jsonPath: ".status.request" },
    { name: "Limit", type: "string", jsonPath: ".status.limit" },
    AGE_COLUMN,
  ],
});

export const ResourceQuotaSchema = ResourceQuotaKind.schema;
export type ResourceQuota = z.infer<typeof ResourceQuotaSchema>;
export type ResourceQuotaInput = z.input<typeof ResourceQuotaSchema>;

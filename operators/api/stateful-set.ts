import { z } from "zod";
import { conditionList, ConditionSchema } from "./conditions.ts";
import { APPS_GROUP } from "./groups.ts";
import { IntOrPercentUpTo100Schema } from "./int-or-string.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { withRules } from "./markers.ts";
import { EmbeddedObjectMetaSchema } from "./meta.ts";
import { PersistentVolumeClaimSpecSchema } from "./persistent-volume-claim.ts";
import { PodTemplateSpecSchema } from "./pod-template.ts";
import { PreservedObjectSchema } from "./preserved.ts";
import { ReplicasSchema, WorkloadSelectorSchema, workloadSpecRules, workloadStatusFields } from "./workload.ts";

/**
 * apps/v1 StatefulSetUpdateStrategy. As for a Deployment's strategy, the
 * CRD default covers an absent strategy and parse() fills rollingUpdate in
 * for `type: RollingUpdate`. maxUnavailable has no default: upstream
 * defaults it to 1 only with the MaxUnavailableStatefulSet gate, so a
 * controller reads absent as 1.
 */
export const StatefulSetUpdateStrategySchema = withRules(
  z.object({
    type: z.enum(["RollingUpdate", "OnDelete"]).default("RollingUpdate"),
    rollingUpdate: z
      .object({
        partition: z.int32().min(0).default(0),
        maxUnavailable: IntOrPercentUpTo100Schema.optional(),
      })
      .optional(),
  }),
  [
    {
      rule: "self.type == 'RollingUpdate' || !has(self.rollingUpdate)",
      message: "only allowed for updateStrategy 'RollingUpdate'",
      fieldPath: ".rollingUpdate",
      check: (s) => s.type === "RollingUpdate" || s.rollingUpdate === undefined,
    },
  ],
)
  .overwrite((s) => (s.type === "RollingUpdate" && !s.rollingUpdate ? { ...s, rollingUpdate: { partition: 0 } } : s))
  // Spelled out in full: the API server checks a default against the rules
  // as written, before nested defaults would fill it in.
  .prefault({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
export type StatefulSetUpdateStrategy = z.infer<typeof StatefulSetUpdateStrategySchema>;

const RetentionSchema = z.enum(["Retain", "Delete"]).default("Retain");

/**
 * A PersistentVolumeClaim stamped once per Pod, named
 * <template>-<statefulset>-<ordinal>. A whole claim upstream, so a status
 * is accepted (and ignored), as generated manifests carry `status: {}`.
 */
export const VolumeClaimTemplateSchema = z.object({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: EmbeddedObjectMetaSchema.optional(),
  spec: PersistentVolumeClaimSpecSchema,
  status: PreservedObjectSchema.optional(),
});
export type VolumeClaimTemplate = z.infer<typeof VolumeClaimTemplateSchema>;

// Upstream forbids changing any spec field but a few
// (ValidateStatefulSetUpdate); these are the ones a schema can compare cheaply.
const FORBIDDEN_UPDATE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', " +
  "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

export const StatefulSetSpecSchema = withRules(
  z.object({
    replicas: ReplicasSchema,
    selector: WorkloadSelectorSchema,
    template: PodTemplateSpecSchema,
    serviceName: z.string().optional(),
    volumeClaimTemplates: z.array(VolumeClaimTemplateSchema).optional(),
    podManagementPolicy: z.enum(["OrderedReady", "Parallel"]).default("OrderedReady"),
    updateStrategy: StatefulSetUpdateStrategySchema,
    revisionHistoryLimit: z.int32().min(0).default(10),
    minReadySeconds: z.int32().min(0).optional(),
    persistentVolumeClaimRetentionPolicy: z
      .object({ whenDeleted: RetentionSchema, whenScaled: RetentionSchema })
      .prefault({}),
    ordinals: z.object({ start: z.int32().min(0).default(0) }).optional(),
  }),
  [
    ...workloadSpecRules("statefulset"),
    {
      rule: "(has(self.serviceName) ? self.serviceName : '') == (has(oldSelf.serviceName) ? oldSelf.serviceName : '') && self.podManagementPolicy == oldSelf.podManagementPolicy",
      message: FORBIDDEN_UPDATE,
      reason: "FieldValueForbidden",
    },
  ],
);
export type StatefulSetSpec = z.infer<typeof StatefulSetSpecSchema>;

export const StatefulSetStatusSchema = z.object({
  observedGeneration: z.int().optional(),
  replicas: z.int32().min(0).default(0),
  readyReplicas: z.int32().min(0).optional(),
  currentReplicas: z.int32().min(0).optional(),
  updatedReplicas: z.int32().min(0).optional(),
  availableReplicas: z.int32().min(0).optional(),
  currentRevision: z.string().optional(),
  updateRevision: z.string().optional(),
  collisionCount: z.int32().min(0).optional(),
  conditions: conditionList(ConditionSchema).optional(),
  ...workloadStatusFields,
});
export type StatefulSetStatus = z.infer<typeof StatefulSetStatusSchema>;

export const StatefulSetKind = defineKind({
  group: APPS_GROUP,
  kind: "StatefulSet",
  plural: "statefulsets",
  shortNames: ["msts"],
  scope: "Namespaced",
  scale: true,
  shape: {
    spec: StatefulSetSpecSchema,
    status: StatefulSetStatusSchema.optional(),
  },
  printerColumns: [
    { name: "Ready", type: "string", jsonPath: ".status.ready", description: "Ready/desired replicas." },
    AGE_COLUMN,
  ],
});

export const StatefulSetSchema = StatefulSetKind.schema;
export type StatefulSet = z.infer<typeof StatefulSetSchema>;
export type StatefulSetInput = z.input<typeof StatefulSetSchema>;

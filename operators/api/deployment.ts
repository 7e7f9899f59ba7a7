import { z } from "zod";
import { conditionList, DeploymentConditionSchema } from "./conditions.ts";
import { APPS_GROUP } from "./groups.ts";
import type { IntOrString } from "./int-or-string.ts";
import { IntOrPercentSchema, IntOrPercentUpTo100Schema } from "./int-or-string.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { withRules } from "./markers.ts";
import { PodTemplateSpecSchema } from "./pod-template.ts";
import { ReplicasSchema, WorkloadSelectorSchema, workloadSpecRules, workloadStatusFields } from "./workload.ts";

/** Upstream getIntOrPercentValue(x) == 0: 0, "0%", "00%". */
export function isZeroIntOrPercent(v: IntOrString): boolean {
  return typeof v === "number" ? v === 0 : /^0+%$/.test(v);
}

const DEFAULT_ROLLING_UPDATE = { maxSurge: "25%", maxUnavailable: "25%" };

export const RollingUpdateDeploymentSchema = withRules(
  z.object({
    maxSurge: IntOrPercentSchema.default("25%"),
    maxUnavailable: IntOrPercentUpTo100Schema.default("25%"),
  }),
  [
    {
      rule: "!(string(self.maxUnavailable).matches('^0+%?$') && string(self.maxSurge).matches('^0+%?$'))",
      message: "may not be 0 when `maxSurge` is 0",
      fieldPath: ".maxUnavailable",
      check: (r) => !(isZeroIntOrPercent(r.maxUnavailable) && isZeroIntOrPercent(r.maxSurge)),
    },
  ],
);
export type RollingUpdateDeployment = z.infer<typeof RollingUpdateDeploymentSchema>;

/**
 * apps/v1 DeploymentStrategy. Upstream defaults rollingUpdate to 25%/25%
 * only when the type is RollingUpdate. The CRD default covers the common
 * case (no strategy at all); `strategy: {type: RollingUpdate}` without
 * rollingUpdate is stored as written, and parse() fills it in, so
 * controllers always see upstream's defaults.
 */
export const DeploymentStrategySchema = withRules(
  z.object({
    type: z.enum(["RollingUpdate", "Recreate"]).default("RollingUpdate"),
    rollingUpdate: RollingUpdateDeploymentSchema.optional(),
  }),
  [
    {
      rule: "self.type != 'Recreate' || !has(self.rollingUpdate)",
      message: "may not be specified when strategy `type` is 'Recreate'",
      fieldPath: ".rollingUpdate",
      reason: "FieldValueForbidden",
      check: (s) => s.type !== "Recreate" || s.rollingUpdate === undefined,
    },
  ],
)
  .overwrite((s) =>
    s.type === "RollingUpdate" && !s.rollingUpdate ? { ...s, rollingUpdate: { ...DEFAULT_ROLLING_UPDATE } } : s,
  )
  .prefault({ type: "RollingUpdate", rollingUpdate: DEFAULT_ROLLING_UPDATE });
export type DeploymentStrategy = z.infer<typeof DeploymentStrategySchema>;

export const DeploymentSpecSchema = withRules(
  z.object({
    replicas: ReplicasSchema,
    selector: WorkloadSelectorSchema,
    template: PodTemplateSpecSchema,
    strategy: DeploymentStrategySchema,
    minReadySeconds: z.int32().min(0).optional(),
    revisionHistoryLimit: z.int32().min(0).default(10),
    paused: z.boolean().optional(),
    progressDeadlineSeconds: z.int32().min(0).default(600),
  }),
  [
    ...workloadSpecRules("deployment"),
    {
      rule: "self.progressDeadlineSeconds > (has(self.minReadySeconds) ? self.minReadySeconds : 0)",
      message: "must be greater than minReadySeconds",
      fieldPath: ".progressDeadlineSeconds",
      check: (s) => s.progressDeadlineSeconds > (s.minReadySeconds ?? 0),
    },
  ],
);
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const DeploymentStatusSchema = z.object({
  observedGeneration: z.int().optional(),
  replicas: z.int32().min(0).optional(),
  updatedReplicas: z.int32().min(0).optional(),
  readyReplicas: z.int32().min(0).optional(),
  availableReplicas: z.int32().min(0).optional(),
  unavailableReplicas: z.int32().min(0).optional(),
  terminatingReplicas: z.int32().min(0).optional(),
  collisionCount: z.int32().min(0).optional(),
  conditions: conditionList(DeploymentConditionSchema).optional(),
  ...workloadStatusFields,
});
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

export const DeploymentKind = defineKind({
  group: APPS_GROUP,
  kind: "Deployment",
  plural: "deployments",
  shortNames: ["mdeploy"],
  scope: "Namespaced",
  scale: true,
  shape: {
    spec: DeploymentSpecSchema,
    status: DeploymentStatusSchema.optional(),
  },
  printerColumns: [
    { name: "Ready", type: "string", jsonPath: ".status.ready", description: "Ready/desired replicas." },
    { name: "Up-to-date", type: "integer", jsonPath: ".status.updatedReplicas" },
    { name: "Available", type: "integer", jsonPath: ".status.availableReplicas" },
    AGE_COLUMN,
    { name: "Selector", type: "string", jsonPath: ".status.selector", priority: 1 },
  ],
});

export const DeploymentSchema = DeploymentKind.schema;
export type Deployment = z.infer<typeof DeploymentSchema>;
export type DeploymentInput = z.input<typeof DeploymentSchema>;

import { z } from "zod";
import { conditionList, ConditionSchema } from "./conditions.ts";
import { APPS_GROUP } from "./groups.ts";
import { AGE_COLUMN, defineKind } from "./kind.ts";
import { withRules } from "./markers.ts";
import { PodTemplateSpecSchema } from "./pod-template.ts";
import { ReplicasSchema, WorkloadSelectorSchema, workloadSpecRules, workloadStatusFields } from "./workload.ts";

export const ReplicaSetSpecSchema = withRules(
  z.object({
    replicas: ReplicasSchema,
    minReadySeconds: z.int32().min(0).optional(),
    selector: WorkloadSelectorSchema,
    template: PodTemplateSpecSchema,
  }),
  workloadSpecRules("deployment"),
);
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpecSchema>;

export const ReplicaSetStatusSchema = z.object({
  replicas: z.int32().min(0).default(0),
  fullyLabeledReplicas: z.int32().min(0).optional(),
  readyReplicas: z.int32().min(0).optional(),
  availableReplicas: z.int32().min(0).optional(),
  terminatingReplicas: z.int32().min(0).optional(),
  observedGeneration: z.int().optional(),
  conditions: conditionList(ConditionSchema).optional(),
  selector: workloadStatusFields.selector,
});
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatusSchema>;

export const ReplicaSetKind = defineKind({
  group: APPS_GROUP,
  kind: "ReplicaSet",
  plural: "replicasets",
  shortNames: ["mrs"],
  scope: "Namespaced",
  scale: true,
  shape: {
    spec: ReplicaSetSpecSchema,
    status: ReplicaSetStatusSchema.optional(),
  },
  printerColumns: [
    { name: "Desired", type: "integer", jsonPath: ".spec.replicas" },
    { name: "Current", type: "integer", jsonPath: ".status.replicas" },
    { name: "Ready", type: "integer", jsonPath: ".status.readyReplicas" },
    AGE_COLUMN,
    { name: "Selector", type: "string", jsonPath: ".status.selector", priority: 1 },
  ],
});

export const ReplicaSetSchema = ReplicaSetKind.schema;
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;
export type ReplicaSetInput = z.input<typeof ReplicaSetSchema>;

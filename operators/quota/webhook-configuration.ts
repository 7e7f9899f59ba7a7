// The webhooks quota admission needs: creates of every namespaced mirror
// kind, and the updates that can change usage (a Service's type or ports, a
// claim's storage request), selected by CEL match conditions so that the
// many other updates (status, finalizers, labels) never wait on the webhook.
import { kinds } from "../api/index.ts";
import type { RuleWithOperations, ValidatingWebhook } from "../runtime/webhook/index.ts";
import { evaluators } from "./evaluators/registry.ts";
import { ADMISSION_PATH, UPDATE_WEBHOOK_NAME, WEBHOOK_NAME } from "./names.ts";

/** Short: an admission blocks the client's request while it runs. */
export const TIMEOUT_SECONDS = 5;

const rule = (operations: RuleWithOperations["operations"], kindsOf: readonly { group: string; version: string; plural: string }[]): RuleWithOperations[] => {
  const groups = [...new Set(kindsOf.map((k) => k.group))];
  return groups.map((group) => ({
    operations,
    apiGroups: [group],
    apiVersions: [...new Set(kindsOf.filter((k) => k.group === group).map((k) => k.version))],
    resources: kindsOf.filter((k) => k.group === group).map((k) => k.plural),
    scope: "Namespaced",
  }));
};

// A field that may be absent, in CEL.
const ports = (o: string) => `(has(${o}.spec.ports) ? size(${o}.spec.ports) : 0)`;
const type = (o: string) => `(has(${o}.spec.type) ? ${o}.spec.type : 'ClusterIP')`;
const storage = (o: string) =>
  `(has(${o}.spec.resources) && has(${o}.spec.resources.requests) && 'storage' in ${o}.spec.resources.requests ? string(${o}.spec.resources.requests['storage']) : '')`;

export function quotaWebhooks(): ValidatingWebhook[] {
  const common = { path: ADMISSION_PATH, failurePolicy: "Fail", sideEffects: "NoneOnDryRun", timeoutSeconds: TIMEOUT_SECONDS, matchPolicy: "Equivalent" } as const;
  return [
    { ...common, name: WEBHOOK_NAME, rules: rule(["CREATE"], evaluators.map((e) => e.kind)) },
    {
      ...common,
      name: UPDATE_WEBHOOK_NAME,
      rules: rule(["UPDATE"], [kinds.Service, kinds.PersistentVolumeClaim]),
      matchConditions: [
        {
          name: "usage-may-change",
          expression:
            `request.resource.resource == '${kinds.Service.plural}' ? ` +
            `(${type("object")} != ${type("oldObject")} || ${ports("object")} != ${ports("oldObject")}) : ` +
            `${storage("object")} != ${storage("oldObject")}`,
        },
      ],
    },
  ];
}

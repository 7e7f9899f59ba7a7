// admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration, as far as
// the server writes it, and the write itself: server-side apply, so only the
// fields the manager sets are its own and a restart with a new CA (or a new
// URL) updates them in place.
import type { KubeObject, ResourceClient, ResourceRef } from "../client/index.ts";

export const validatingWebhookConfigurations: ResourceRef = {
  group: "admissionregistration.k8s.io",
  version: "v1",
  plural: "validatingwebhookconfigurations",
  namespaced: false,
};

export interface RuleWithOperations {
  operations: ("CREATE" | "UPDATE" | "DELETE" | "CONNECT" | "*")[];
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  scope?: "Cluster" | "Namespaced" | "*";
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

export type WebhookClientConfig = { url: string; caBundle: string } | { service: { namespace: string; name: string; path: string; port?: number }; caBundle: string };

/** One webhook of a configuration; `path` says which registered handler serves it. */
export interface ValidatingWebhook {
  name: string;
  path: string;
  rules: RuleWithOperations[];
  failurePolicy: "Fail" | "Ignore";
  sideEffects: "None" | "NoneOnDryRun";
  timeoutSeconds: number;
  matchPolicy?: "Exact" | "Equivalent";
  namespaceSelector?: LabelSelectorSpec;
  objectSelector?: LabelSelectorSpec;
  /** CEL conditions (all must hold) for the API server to call at all. */
  matchConditions?: { name: string; expression: string }[];
  clientConfig?: WebhookClientConfig;
}

export interface ValidatingWebhookConfiguration extends KubeObject {
  webhooks?: (Omit<ValidatingWebhook, "path" | "clientConfig"> & { clientConfig: WebhookClientConfig; admissionReviewVersions: string[] })[];
}

export const WEBHOOK_FIELD_MANAGER = "mirrorkube-webhook-server";

/** The configuration object for `name`, every webhook pointed at this server by `clientConfig(path)`. */
export function configurationObject(name: string, webhooks: ValidatingWebhook[], clientConfig: (path: string) => WebhookClientConfig): ValidatingWebhookConfiguration {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingWebhookConfiguration",
    metadata: { name, labels: { "app.kubernetes.io/managed-by": "mirrorkube" } },
    webhooks: webhooks.map(({ path, clientConfig: _ignored, ...w }) => ({ ...w, clientConfig: clientConfig(path), admissionReviewVersions: ["v1"] })),
  };
}

export async function applyConfiguration(
  client: ResourceClient<ValidatingWebhookConfiguration>,
  name: string,
  webhooks: ValidatingWebhook[],
  clientConfig: (path: string) => WebhookClientConfig,
): Promise<void> {
  await client.apply(configurationObject(name, webhooks, clientConfig), { fieldManager: WEBHOOK_FIELD_MANAGER, force: true });
}

// The generic admission webhook server: TLS with a CA made at start or a
// mounted certificate (certDir), AdmissionReview v1, controller-runtime's
// webhook metrics, /readyz.
export { allowed, denied } from "./admission.ts";
export type { AdmissionDecision, AdmissionHandler, AdmissionRequest, AdmissionReview, Operation } from "./admission.ts";
export { validatingWebhookConfigurations, WEBHOOK_FIELD_MANAGER } from "./configuration.ts";
export type { LabelSelectorSpec, RuleWithOperations, ValidatingWebhook, ValidatingWebhookConfiguration } from "./configuration.ts";
export { parseLabelSelector } from "./selector.ts";
export { certificateHosts, webhookEndpoint, WebhookServer } from "./server.ts";
export type { WebhookEndpoint, WebhookServerOptions } from "./server.ts";

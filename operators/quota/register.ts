// ResourceQuota in two parts, as upstream splits it between the controller
// manager and the API server: the usage controller, and the admission
// webhook. Registered in one process they share one lock per namespace, the
// quotas as last written, and the reservation ledger; each also runs alone
// (the webhook then admits against the usage another process writes).
import type { KubeObject } from "../runtime/client/index.ts";
import { log } from "../runtime/logging.ts";
import type { Manager } from "../runtime/manager/manager.ts";
import type { LabelSelectorSpec, WebhookServer } from "../runtime/webhook/index.ts";
import { QuotaAdmission } from "./admission.ts";
import { ADMISSION_PATH } from "./names.ts";
import { NamespaceLock } from "./namespace-lock.ts";
import { QuotaSource } from "./quota-source.ts";
import { namespaceScope, quotaRef, registerUsageController, type QuotaState } from "./resource-quota-controller.ts";
import { Reservations } from "./reservations.ts";
import { quotaWebhooks } from "./webhook-configuration.ts";

export interface ResourceQuotaOptions {
  /** The namespaces this process handles quota in; every one when absent. */
  namespaceSelector?: LabelSelectorSpec;
}

const shared = new WeakMap<Manager, QuotaState>();

function stateOf(mgr: Manager, options: ResourceQuotaOptions): QuotaState {
  let state = shared.get(mgr);
  if (!state) {
    state = {
      source: new QuotaSource(mgr.informerFor<KubeObject>(quotaRef).store),
      lock: new NamespaceLock(),
      reservations: new Reservations(),
      quotas: mgr.client<KubeObject>(quotaRef),
      inScope: namespaceScope(mgr, options.namespaceSelector),
      // Replaced by the usage controller when this process runs it.
      recompute: () => undefined,
    };
    shared.set(mgr, state);
  }
  return state;
}

/** The usage controller: status.hard and status.used of every mirror ResourceQuota. */
export function registerResourceQuotaController(mgr: Manager, options: ResourceQuotaOptions = {}): void {
  registerUsageController(mgr, stateOf(mgr, options));
}

/** The admission webhook, served by `server`; without a server nothing enforces quota. */
export function registerResourceQuotaAdmission(mgr: Manager, server: WebhookServer | undefined, options: ResourceQuotaOptions = {}): void {
  if (!server) {
    log.warn("no webhook server (--webhook-bind-address=0): quota is not enforced");
    return;
  }
  server.register(ADMISSION_PATH, new QuotaAdmission(stateOf(mgr, options)).handle);
  for (const webhook of quotaWebhooks()) server.addValidatingWebhook(webhook);
}

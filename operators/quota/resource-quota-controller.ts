// The usage controller (upstream pkg/controller/resourcequota): keeps
// status.hard = spec.hard and status.used = what the namespace's mirror
// objects use, for exactly the hard resources. Recomputed when a quota
// changes, when an object in its namespace is added, deleted or changes its
// usage, and every 5 minutes; the webhook's reservations not yet visible in
// the caches are counted too.
import { kindRef, kinds, labelSelectorMatches } from "../api/index.ts";
import type { KubeObject, ResourceClient } from "../runtime/client/index.ts";
import { isConflict } from "../runtime/client/index.ts";
import type { Controller } from "../runtime/controller/controller.ts";
import { requestKey, type Reconciler } from "../runtime/controller/request.ts";
import { NAMESPACE_INDEX, objectKey } from "../runtime/informer/index.ts";
import type { Informer } from "../runtime/informer/index.ts";
import type { Manager } from "../runtime/manager/manager.ts";
import type { LabelSelectorSpec } from "../runtime/webhook/index.ts";
import { cachedParser, InvalidObjectReporter, semanticEqual } from "../workloads/common/index.ts";
import type { Evaluator, QuotaObject } from "./evaluators/evaluator.ts";
import { evaluators } from "./evaluators/registry.ts";
import { RESOURCE_QUOTA, RESOURCE_QUOTA_COMPONENT, RESYNC_MS } from "./names.ts";
import type { NamespaceLock } from "./namespace-lock.ts";
import type { QuotaSource } from "./quota-source.ts";
import type { Reservations } from "./reservations.ts";
import { calculateUsage, quotaStatus } from "./usage.ts";

export const quotaRef = kindRef(kinds.ResourceQuota);
const namespacesRef = { group: "", version: "v1", plural: "namespaces", namespaced: false };

/** What the controller and the webhook share: one lock, one view of the quotas, one ledger. */
export interface QuotaState {
  source: QuotaSource;
  lock: NamespaceLock;
  reservations: Reservations;
  quotas: ResourceClient<KubeObject>;
  /** Whether this process handles quota in a namespace (--webhook-namespace-selector). */
  inScope(namespace: string): boolean;
  /** Recompute every quota of a namespace. */
  recompute(namespace: string): void;
}

export function namespaceScope(mgr: Manager, selector: LabelSelectorSpec | undefined): (namespace: string) => boolean {
  if (!selector) return () => true;
  const namespaces = mgr.informerFor<KubeObject>(namespacesRef).store;
  return (namespace) => labelSelectorMatches(selector, namespaces.get(namespace)?.metadata?.labels ?? {});
}

/** Evaluator-relevant state of an object: a change of it can change usage. */
function usageFingerprint(evaluator: Evaluator, obj: QuotaObject, now: Date): string {
  const usage = [...evaluator.usage(evaluator.normalize(obj), now)].map(([k, q]) => `${k}=${q.toString()}`);
  return `${usage.sort().join(",")}|${obj.metadata?.deletionTimestamp ?? ""}`;
}

export function registerUsageController(mgr: Manager, state: QuotaState, now: () => Date = () => new Date()): Controller {
  const quotaCache = mgr.informerFor<KubeObject>(quotaRef);
  const caches = new Map<Evaluator, Informer<KubeObject>>(evaluators.map((e) => [e, mgr.informerFor<KubeObject>(kindRef(e.kind))]));
  const invalid = new InvalidObjectReporter(mgr.recorder(RESOURCE_QUOTA_COMPONENT));
  const parseQuota = cachedParser(kinds.ResourceQuota);

  const reconcile: Reconciler = async (req, { log }) => {
    if (!state.inScope(req.namespace)) return;
    const key = requestKey(req);
    await state.lock.run(req.namespace, async () => {
      const raw = state.source.get(key);
      if (!raw) return;
      const parsed = parseQuota(raw);
      if (!parsed.ok) {
        invalid.report(key, raw, parsed.error, log);
        return;
      }
      invalid.forget(key);
      const quota = parsed.value;
      const objects = {
        objectsOf: (e: Evaluator) => (caches.get(e)?.store.byIndex(NAMESPACE_INDEX, req.namespace) ?? []).map((o) => e.normalize(o)),
      };
      const used = calculateUsage(quota, evaluators, objects, state.reservations.pending(req.namespace, req.name), now());
      const status = quotaStatus(quota, used);
      if (semanticEqual((raw as QuotaObject).status, status)) return;
      try {
        state.source.wrote(await state.quotas.updateStatus({ ...raw, status } as KubeObject));
      } catch (err) {
        if (isConflict(err)) state.source.forget(key);
        throw err;
      }
    });
    return { requeueAfterMs: RESYNC_MS };
  };

  const controller = mgr.controller(RESOURCE_QUOTA).for(quotaRef).withWorkers(5).complete(reconcile);
  const enqueueNamespace = (namespace: string) => {
    for (const q of quotaCache.store.byIndex(NAMESPACE_INDEX, namespace)) controller.enqueue({ namespace, name: q.metadata?.name ?? "" });
  };
  state.recompute = enqueueNamespace;

  for (const [evaluator, informer] of caches) {
    const resource = evaluator.kind.plural;
    const settle = (obj: KubeObject) => state.reservations.observe(obj.metadata?.namespace ?? "", resource, obj.metadata?.uid ?? "", obj.metadata?.generation ?? 1);
    informer.addEventHandler({
      add: (obj) => {
        settle(obj);
        enqueueNamespace(obj.metadata?.namespace ?? "");
      },
      update: (old, cur) => {
        settle(cur);
        const at = now();
        if (usageFingerprint(evaluator, old, at) !== usageFingerprint(evaluator, cur, at)) enqueueNamespace(cur.metadata?.namespace ?? "");
      },
      delete: (obj) => {
        state.reservations.forget(obj.metadata?.namespace ?? "", obj.metadata?.uid ?? "");
        enqueueNamespace(obj.metadata?.namespace ?? "");
      },
    });
  }
  quotaCache.addEventHandler({ delete: (q) => state.source.forget(objectKey(q)) });
  return controller;
}

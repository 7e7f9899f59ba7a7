// The service controller's wiring: a mirror Service is reconciled when it
// changes, when its real Service changes, and when a mirror Pod it selects
// (before or after the change) changes. Each reconcile publishes the
// endpoint slices in status, keeps the real Service, and copies back the
// cluster IP and the load balancer status.
import { kindRef, kinds, labelSelectorMatches, type Pod, type Service, type ServiceStatus } from "../api/index.ts";
import { ApiError, type KubeObject } from "../runtime/client/index.ts";
import { requestFor } from "../runtime/controller/builder.ts";
import type { Controller } from "../runtime/controller/controller.ts";
import { requestKey, type Reconciler } from "../runtime/controller/request.ts";
import { NAMESPACE_INDEX } from "../runtime/informer/index.ts";
import type { Manager } from "../runtime/manager/manager.ts";
import { cachedParser, getControllerOf, InvalidObjectReporter, semanticEqual } from "../workloads/common/index.ts";
import { endpointSlices, selectsPods } from "./endpoints.ts";
import { Reasons, SERVICE_CONTROLLER, SERVICE_FIELD_MANAGER, ZONE_LABEL } from "./names.ts";
import { clusterIPPatch, desiredRealService, mirrorServices, needsApply, realServices, type RealService } from "./real-service.ts";

const nodesRef = { group: "", version: "v1", plural: "nodes", namespaced: false };

export function registerServiceController(mgr: Manager, workers = 4): Controller {
  const podRef = kindRef(kinds.Pod);
  const serviceCache = mgr.informerFor<KubeObject>(mirrorServices).store;
  const podCache = mgr.informerFor<KubeObject>(podRef).store;
  const realCache = mgr.informerFor<RealService>(realServices).store;
  const nodeCache = mgr.informerFor<KubeObject>(nodesRef).store;
  const mirrors = mgr.client<KubeObject>(mirrorServices);
  const reals = mgr.client<RealService>(realServices);
  const recorder = mgr.recorder(SERVICE_FIELD_MANAGER);
  const invalid = new InvalidObjectReporter(recorder);
  const parseService = cachedParser(kinds.Service);
  const parsePod = cachedParser(kinds.Pod);
  const zoneOf = (node: string) => nodeCache.get(node)?.metadata?.labels?.[ZONE_LABEL];

  const selectedPods = (service: Service): Pod[] =>
    podCache.byIndex(NAMESPACE_INDEX, service.metadata.namespace ?? "").flatMap((raw) => {
      const parsed = parsePod(raw);
      return parsed.ok && labelSelectorMatches({ matchLabels: service.spec.selector }, parsed.value.metadata.labels ?? {}) ? [parsed.value] : [];
    });

  const reconcile: Reconciler = async (req, { log }) => {
    const key = requestKey(req);
    const raw = serviceCache.get(key);
    if (!raw) return; // Its real Service goes with it (garbage collection).
    const parsed = parseService(raw);
    if (!parsed.ok) {
      invalid.report(key, raw, parsed.error, log);
      return;
    }
    invalid.forget(key);
    const service = parsed.value;
    if (service.metadata.deletionTimestamp) return;

    const real = await keepRealService(service, realCache.get(key));
    const ipPatch = real && clusterIPPatch(service, real);
    if (ipPatch) await mirrors.patch({ namespace: req.namespace, name: req.name }, { type: "merge", patch: { spec: ipPatch } });

    const status: ServiceStatus = { ...service.status };
    // Without a selector the endpoints are the user's to write, as upstream.
    if (selectsPods(service)) status.endpointSlices = endpointSlices(service, selectedPods(service), zoneOf);
    else if (service.spec.type === "ExternalName") delete status.endpointSlices;
    if (real?.status?.loadBalancer) status.loadBalancer = real.status.loadBalancer as ServiceStatus["loadBalancer"];
    if (real?.status?.conditions) status.conditions = real.status.conditions as ServiceStatus["conditions"];
    if (!semanticEqual((raw as { status?: unknown }).status, status)) await mirrors.updateStatus({ ...raw, status } as KubeObject);
  };

  /** Creates or updates the real Service; undefined when one we do not own is in the way. */
  async function keepRealService(service: Service, existing: RealService | undefined): Promise<RealService | undefined> {
    if (existing && getControllerOf(existing)?.uid !== service.metadata.uid) {
      recorder.event(service, "Warning", Reasons.conflict, `A Service named ${service.metadata.namespace}/${service.metadata.name} already exists and is not owned by this mirror Service; it is left untouched`);
      return undefined;
    }
    const desired = desiredRealService(service);
    if (existing && !needsApply(desired, existing)) return existing;
    try {
      return await reals.apply(desired, { fieldManager: SERVICE_FIELD_MANAGER, force: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 422) recorder.event(service, "Warning", Reasons.failedApply, `Error applying the real Service: ${err.message}`);
      throw err;
    }
  }

  const servicesSelecting = (pod: KubeObject) =>
    serviceCache.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? "").flatMap((raw) => {
      const parsed = parseService(raw);
      return parsed.ok && selectsPods(parsed.value) && labelSelectorMatches({ matchLabels: parsed.value.spec.selector }, pod.metadata?.labels ?? {}) ? [requestFor(raw)] : [];
    });

  return mgr
    .controller(SERVICE_CONTROLLER)
    .for(mirrorServices)
    .owns(realServices)
    .watch<KubeObject>(podRef, servicesSelecting)
    .withWorkers(workers)
    .complete(reconcile);
}

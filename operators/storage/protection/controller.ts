// The two protection controllers' wiring.
import type { Controller } from "../../runtime/controller/controller.ts";
import { parseKey, requestKey, type Reconciler } from "../../runtime/controller/request.ts";
import type { ResourceClient } from "../../runtime/client/index.ts";
import { isNotFound } from "../../runtime/client/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { storageInformers } from "../caches.ts";
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from "../names.ts";
import { mirrorPods, persistentVolumeClaims, persistentVolumes, podClaimKeys, PODS_BY_CLAIM_INDEX, type RawObject } from "../resources.ts";
import { claimProtection, finalizerPatch, volumeProtection, type FinalizerChange } from "./protection.ts";

/** The names `--controllers` selects them by (kube-controller-manager's). */
export const PVC_PROTECTION = "pvc-protection";
export const PV_PROTECTION = "pv-protection";

async function apply(client: ResourceClient<RawObject>, obj: RawObject, finalizer: string, change: FinalizerChange): Promise<void> {
  if (!change) return;
  try {
    await client.patch({ namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? "" }, { type: "merge", patch: finalizerPatch(obj, finalizer, change) });
  } catch (err) {
    // Gone meanwhile: nothing left to protect.
    if (!isNotFound(err)) throw err;
  }
}

export function registerPvcProtection(mgr: Manager, workers = 4): Controller {
  const informers = storageInformers(mgr);
  const client = mgr.client<RawObject>(persistentVolumeClaims);
  const reconcile: Reconciler = async (req) => {
    const key = requestKey(req);
    const claim = informers.claims.store.get(key);
    if (!claim) return;
    const pods = informers.pods.store.byIndex(PODS_BY_CLAIM_INDEX, key);
    await apply(client, claim, PVC_PROTECTION_FINALIZER, claimProtection(claim, pods, PVC_PROTECTION_FINALIZER));
  };
  return (
    mgr
      .controller(PVC_PROTECTION)
      .for(persistentVolumeClaims)
      // A pod scheduled or gone may change whether its claims are in use.
      .watch<RawObject>(mirrorPods, (pod) => podClaimKeys(pod).map(parseKey))
      .withWorkers(workers)
      .complete(reconcile)
  );
}

export function registerPvProtection(mgr: Manager, workers = 4): Controller {
  const informers = storageInformers(mgr);
  const client = mgr.client<RawObject>(persistentVolumes);
  const reconcile: Reconciler = async (req) => {
    const volume = informers.volumes.store.get(requestKey(req));
    if (!volume) return;
    await apply(client, volume, PV_PROTECTION_FINALIZER, volumeProtection(volume, PV_PROTECTION_FINALIZER));
  };
  return mgr.controller(PV_PROTECTION).for(persistentVolumes).withWorkers(workers).complete(reconcile);
}


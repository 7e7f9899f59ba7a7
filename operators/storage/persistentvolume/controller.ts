// The PV binder's wiring (upstream pv_controller_base.go). Claims and volumes
// share one queue: a request with a namespace is a claim, one without is a
// volume (PVs are cluster-scoped, claims never are).
//
// Concurrency. Upstream runs one claim worker and one volume worker, so that
// two syncClaims never pick the same volume. Here several workers run, but
// every claim's decision, and the write that takes a volume (its claimRef),
// happen one at a time under a lock, each seeing the earlier ones through the
// assume caches; only the writes that follow (phases, the claim's side) run
// in parallel. So no two decisions of this process ever pick one volume, and
// binding is not limited to one sync's four round trips at a time. What other
// processes write is caught by the resourceVersion every write carries: a
// decision made on a stale cache fails with a conflict and is made again.
import { requestFor } from "../../runtime/controller/builder.ts";
import type { Controller } from "../../runtime/controller/controller.ts";
import { parseKey, requestKey, type Reconciler } from "../../runtime/controller/request.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { formatTime } from "../../workloads/common/index.ts";
import { AssumeCache } from "../assume-cache.ts";
import { parseClaim, parseClass, parseVolume, storageInformers } from "../caches.ts";
import { defaultClass, isClaimFullyBound } from "../helpers.ts";
import { ANN_BETA_STORAGE_CLASS, ANN_BIND_COMPLETED, PV_CONTROLLER_COMPONENT } from "../names.ts";
import { persistentVolumeClaims, persistentVolumes, PODS_BY_CLAIM_INDEX, type RawObject } from "../resources.ts";
import type { BinderView } from "./actions.ts";
import { carryOut, StaleCache, takeVolume, type BinderEffects } from "./effects.ts";
import { syncClaim } from "./sync-claim.ts";
import { syncVolume } from "./sync-volume.ts";

/** The name `--controllers` selects it by (kube-controller-manager's). */
export const PV_BINDER = "persistentvolume-binder";

/** Upstream's --pvclaimbinder-sync-period: unbound claims are looked at again this often. */
export const CLAIM_RESYNC_MS = 15_000;

/** The class of a raw claim or volume (the beta annotation first), without parsing it. */
function classOf(obj: RawObject): string {
  return obj.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS] ?? (obj.spec as { storageClassName?: string } | undefined)?.storageClassName ?? "";
}

// Unbound claims by class, to wake those a new Available volume may serve.
const UNBOUND_BY_CLASS_INDEX = "storage:unbound-claims-by-class";
function unboundByClass(obj: RawObject): string[] {
  const meta = obj.metadata ?? {};
  return meta.annotations?.[ANN_BIND_COMPLETED] !== undefined || meta.deletionTimestamp ? [] : [classOf(obj)];
}

function availableUnclaimed(obj: RawObject): boolean {
  return (obj.status as { phase?: string } | undefined)?.phase === "Available" && !(obj.spec as { claimRef?: unknown } | undefined)?.claimRef;
}

/** Runs one piece of work at a time, in call order. */
class DecisionLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export function registerPersistentVolumeBinder(mgr: Manager, options: { now?: () => number; workers?: number } = {}): Controller {
  const { now = Date.now, workers = 4 } = options;
  const lock = new DecisionLock();
  const informers = storageInformers(mgr);
  informers.claims.addIndexer(UNBOUND_BY_CLASS_INDEX, unboundByClass);
  const volumeCache = new AssumeCache(informers.volumes.store);
  const claimCache = new AssumeCache(informers.claims.store);
  const recorder = mgr.recorder(PV_CONTROLLER_COMPONENT);

  const view: BinderView = {
    volume: (name) => parseVolume(volumeCache.get(name)),
    volumes: () => volumeCache.list().flatMap((raw) => parseVolume(raw) ?? []),
    claim: (key) => parseClaim(claimCache.get(key)),
    storageClass: (name) => parseClass(informers.classes.store.get(name)),
    defaultClass: () => defaultClass(informers.classes.store.list().flatMap((raw) => parseClass(raw) ?? [])),
    unscheduledPodsUsing: (key) =>
      informers.pods.store
        .byIndex(PODS_BY_CLAIM_INDEX, key)
        .filter((p) => {
          const phase = (p.status as { phase?: string } | undefined)?.phase;
          return !(p.spec as { nodeName?: string } | undefined)?.nodeName && phase !== "Succeeded" && phase !== "Failed";
        })
        .map((p) => p.metadata?.name ?? "")
        .sort(),
  };

  const fx: BinderEffects = {
    volumes: mgr.client<RawObject>(persistentVolumes),
    claims: mgr.client<RawObject>(persistentVolumeClaims),
    volumeCache,
    claimCache,
    parseVolume,
    parseClaim,
    recorder,
    // The controller exists by the time a sync runs.
    enqueueClaim: (key) => controller.enqueue(parseKey(key)),
    now: () => formatTime(new Date(now())),
  };

  const reconcile: Reconciler = async (req, { log }) => {
    const key = requestKey(req);
    const raw = req.namespace === "" ? volumeCache.get(key) : claimCache.get(key);
    if (!raw) return; // Gone; whatever it leaves behind was enqueued by the delete handlers.
    const volume = req.namespace === "" ? parseVolume(raw) : undefined;
    const claim = req.namespace === "" ? undefined : parseClaim(raw);
    // The API server validates with the same schema: a malformed object was written around it.
    if (!volume && !claim) {
      log.warn("skipping a malformed object");
      return;
    }
    try {
      // A claim's decision, and taking the volume it picks, under the lock; volumes decide nothing another sync could contradict.
      const actions = volume
        ? syncVolume(volume, view)
        : await lock.run(async () => {
            // Read again inside the lock: what the caches say now, after every earlier decision.
            const current = parseClaim(claimCache.get(key));
            const decided = current ? syncClaim(current, view) : [];
            await takeVolume(decided, fx);
            return decided;
          });
      if (actions.length > 0) log.debug({ actions: actions.map((a) => a.kind) }, "carrying out");
      await carryOut(actions, fx);
    } catch (err) {
      if (!(err instanceof StaleCache)) throw err;
      log.debug({ reason: err.message }, "the cache is behind; looking again shortly");
      return { requeueAfterMs: 1_000 };
    }
    // Unbound claims are retried periodically, as upstream's resync does.
    return claim && !isClaimFullyBound(claim) ? { requeueAfterMs: CLAIM_RESYNC_MS } : undefined;
  };

  const controller = mgr
    .controller(PV_BINDER)
    .for(persistentVolumeClaims)
    .watch<RawObject>(persistentVolumes, (v) => [{ namespace: "", name: v.metadata?.name ?? "" }])
    .withWorkers(workers)
    .complete(reconcile);

  const enqueueUnbound = (className: string | undefined) => {
    const claims = className === undefined ? informers.claims.store.list().filter((c) => unboundByClass(c).length > 0) : informers.claims.store.byIndex(UNBOUND_BY_CLASS_INDEX, className);
    for (const c of claims) controller.enqueue(requestFor(c));
  };
  informers.volumes.addEventHandler({
    // A volume that becomes available may serve a waiting claim of its class.
    add: (v) => {
      if (availableUnclaimed(v)) enqueueUnbound(classOf(v));
    },
    update: (old, v) => {
      if (availableUnclaimed(v) && !availableUnclaimed(old)) enqueueUnbound(classOf(v));
    },
    // The claim of a deleted volume is Lost.
    delete: (v) => {
      const ref = (v.spec as { claimRef?: { namespace?: string; name?: string } } | undefined)?.claimRef;
      if (ref?.namespace && ref.name) controller.enqueue({ namespace: ref.namespace, name: ref.name });
    },
  });
  // The volume of a deleted claim is Released.
  informers.claims.addEventHandler({
    delete: (c) => {
      const volumeName = (c.spec as { volumeName?: string } | undefined)?.volumeName;
      if (volumeName) controller.enqueue({ namespace: "", name: volumeName });
    },
  });
  // A new class, or a new default class, may let waiting claims provision.
  informers.classes.addEventHandler({ add: () => enqueueUnbound(undefined), update: () => enqueueUnbound(undefined) });
  return controller;
}

// The ReplicaSet controller, wired to a manager.
import { kindRef, kinds } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { parseKey } from "../../runtime/controller/request.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { ReplicaSetController } from "./replica-set.ts";

export { ReplicaSetController, REPLICA_SET_KIND } from "./replica-set.ts";
export type { ReplicaSetControllerDeps } from "./replica-set.ts";
export { BURST_REPLICAS, planReplicas } from "./plan.ts";
export type { PlanOptions, ReplicasPlan } from "./plan.ts";
export { compareForDeletion, rankBySameNode, sortForDeletion } from "./active-pods-with-ranks.ts";
export type { RankedPod } from "./active-pods-with-ranks.ts";
export { calculateStatus, FAILED_CREATE, FAILED_DELETE, REPLICA_FAILURE } from "./replica-set-utils.ts";
export { slowStartBatch } from "./slow-start.ts";

/** Upstream's default --concurrent-replicaset-syncs. */
const WORKERS = 5;

/** Registers the controller: it reconciles mirror ReplicaSets and owns mirror Pods. */
export function registerReplicaSetController(mgr: Manager): void {
  const rsRef = kindRef(kinds.ReplicaSet);
  const podRef = kindRef(kinds.Pod);
  const rsInformer = mgr.informerFor<KubeObject>(rsRef);
  const podInformer = mgr.informerFor<KubeObject>(podRef);
  const rsc = new ReplicaSetController({
    replicaSets: rsInformer.store,
    pods: podInformer.store,
    replicaSetClient: mgr.client<KubeObject>(rsRef),
    podClient: mgr.client<KubeObject>(podRef),
    // Upstream's event source, so `kubectl describe` reads the same.
    events: mgr.recorder("replicaset-controller"),
  });
  const controller = mgr
    .controller("replicaset")
    .for(rsRef)
    .owns(podRef)
    .withWorkers(WORKERS)
    .complete((req, ctx) => rsc.sync(req, ctx));
  podInformer.addEventHandler(
    rsc.podEventHandlers({
      enqueue: (key) => controller.enqueue(parseKey(key)),
      enqueueAfter: (key, ms) => controller.enqueueAfter(parseKey(key), ms),
    }),
  );
  rsInformer.addEventHandler(rsc.replicaSetEventHandlers());
}

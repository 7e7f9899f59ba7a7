// The StatefulSet controller, wired to a manager.
import type { KubeObject } from "../../runtime/client/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { controllerRevisions, mirrorClaims, mirrorPods, STATEFUL_SET_CONTROLLER, statefulSets } from "./names.ts";
import type { ControllerRevision } from "./revision.ts";
import { StatefulSetController } from "./stateful-set.ts";

export { StatefulSetController } from "./stateful-set.ts";
export type { StatefulSetControllerDeps } from "./stateful-set.ts";
export { planStatefulSet } from "./stateful-set-control.ts";
export type { PlanInput, RevisionRef } from "./stateful-set-control.ts";
export type { PodAction, PodStep, StatefulSetPlan } from "./actions.ts";
export { equalRevision, revisionData, sortRevisions, templateOf } from "./revision.ts";
export type { ControllerRevision } from "./revision.ts";
export { controllerRevisions, POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_HASH_LABEL, REVISION_LABEL, STATEFUL_SET_CONTROLLER } from "./names.ts";

/** Upstream's default --concurrent-statefulset-syncs. */
const WORKERS = 5;

/**
 * Registers the controller: it reconciles mirror StatefulSets, owns mirror
 * Pods (and adopts orphans whose name and labels make them members), creates
 * mirror PersistentVolumeClaims, and keeps apps/v1 ControllerRevisions.
 */
export function registerStatefulSetController(mgr: Manager): void {
  const setInformer = mgr.informerFor<KubeObject>(statefulSets);
  const podInformer = mgr.informerFor<KubeObject>(mirrorPods);
  const claimInformer = mgr.informerFor<KubeObject>(mirrorClaims);
  const revisionInformer = mgr.informerFor<KubeObject>(controllerRevisions);
  const ssc = new StatefulSetController({
    statefulSets: setInformer.store,
    pods: podInformer.store,
    claims: claimInformer.store,
    revisions: revisionInformer.store,
    statefulSetClient: mgr.client<KubeObject>(statefulSets),
    podClient: mgr.client<KubeObject>(mirrorPods),
    claimClient: mgr.client<KubeObject>(mirrorClaims),
    revisionClient: mgr.client<ControllerRevision>(controllerRevisions),
    // Upstream's event source, so `kubectl describe` reads the same.
    events: mgr.recorder(STATEFUL_SET_CONTROLLER),
  });
  // The expectations must see a pod event before the reconcile it enqueues.
  podInformer.addEventHandler(ssc.podEventHandlers());
  setInformer.addEventHandler(ssc.statefulSetEventHandlers());
  mgr
    .controller("statefulset")
    .for(statefulSets)
    .watch(mirrorPods, ssc.podMapper)
    .watch(mirrorClaims, ssc.claimMapper)
    .withWorkers(WORKERS)
    .complete((req, ctx) => ssc.sync(req, ctx));
}

import { MIRRORKUBE_SCHEDULER, type Pod } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import type { SchedulerCache } from "../cache/cache.ts";
import type { NodeLike, PodLike } from "../framework/objects.ts";
import { isTerminal } from "../framework/objects.ts";
import type { SchedulingQueue } from "../queue/scheduling-queue.ts";
import type { CapacityReleaseNotifier } from "./capacity-release.ts";
import { mirrorPodsResource, namespacesResource, nodesResource, realPodsResource } from "./resources.ts";

/** A mirror Pod this scheduler should place: ours, unbound, alive. */
export function needsScheduling(pod: PodLike): boolean {
  const spec = pod.spec as Pod["spec"] | undefined;
  return !spec?.nodeName && (spec?.schedulerName ?? MIRRORKUBE_SCHEDULER) === MIRRORKUBE_SCHEDULER && !pod.metadata?.deletionTimestamp && !isTerminal(pod);
}

const asPod = (o: KubeObject) => o as PodLike;
const asNode = (o: KubeObject) => o as NodeLike;

/**
 * Keeps the node cache in step with the informers (on every replica: the
 * extender answers from it), and, when a queue is given, feeds it unbound
 * mirror Pods and the cluster events that may make parked ones schedulable.
 */
export function feedCache(mgr: Manager, cache: SchedulerCache, queue?: SchedulingQueue, released?: CapacityReleaseNotifier): void {
  mgr.informerFor(nodesResource).addEventHandler({
    add: (n) => {
      cache.upsertNode(asNode(n));
      queue?.nodeAdded(asNode(n));
    },
    update: (o, n) => {
      cache.upsertNode(asNode(n));
      queue?.nodeUpdated(asNode(o), asNode(n));
    },
    delete: (n) => {
      cache.deleteNode(asNode(n));
      queue?.nodeDeleted(asNode(n));
    },
  });
  mgr.informerFor(namespacesResource).addEventHandler({
    add: (ns) => cache.upsertNamespace(ns.metadata?.name ?? "", ns.metadata?.labels),
    update: (_o, ns) => cache.upsertNamespace(ns.metadata?.name ?? "", ns.metadata?.labels),
    delete: (ns) => cache.deleteNamespace(ns.metadata?.name ?? ""),
  });
  mgr.informerFor(realPodsResource).addEventHandler({
    add: (p) => {
      cache.upsertRealPod(asPod(p));
      if (asPod(p).spec?.nodeName) queue?.assignedPodAdded(asPod(p));
    },
    update: (o, p) => {
      cache.upsertRealPod(asPod(p));
      if (asPod(p).spec?.nodeName) queue?.assignedPodUpdated(asPod(o), asPod(p));
    },
    delete: (p) => {
      cache.deleteRealPod(asPod(p));
      if (asPod(p).spec?.nodeName) queue?.assignedPodDeleted(asPod(p));
    },
  });
  mgr.informerFor(mirrorPodsResource).addEventHandler({
    add: (p) => onMirrorPod(cache, queue, undefined, asPod(p)),
    update: (o, p) => {
      onMirrorPod(cache, queue, asPod(o), asPod(p));
      released?.mirrorPodReleased(asPod(o), asPod(p));
    },
    delete: (p) => {
      released?.mirrorPodReleased(asPod(p), undefined);
      cache.deleteMirrorPod(asPod(p));
      queue?.delete(asPod(p));
      if (asPod(p).spec?.nodeName) queue?.assignedPodDeleted(asPod(p));
    },
  });
}

function onMirrorPod(cache: SchedulerCache, queue: SchedulingQueue | undefined, old: PodLike | undefined, pod: PodLike): void {
  cache.upsertMirrorPod(pod);
  if (!queue) return;
  if (needsScheduling(pod)) {
    // Assumed: our bind is in flight and this update (a status write, say) is
    // from before it landed. Queueing it again could bind it twice (upstream skipPodUpdate).
    if (!cache.isAssumed(pod)) queue.add(pod);
    return;
  }
  queue.delete(pod);
  if (!pod.spec?.nodeName) return;
  if (old?.spec?.nodeName) queue.assignedPodUpdated(old, pod);
  else queue.assignedPodAdded(pod);
}

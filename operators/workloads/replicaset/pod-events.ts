// What a change of a mirror Pod means to the ReplicaSets (upstream
// replica_set.go addPod, updatePod, deletePod): which ReplicaSet observed a
// creation or deletion it expected, and which ReplicaSets to sync.
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";
import { getControllerOf, semanticEqual } from "../common/index.ts";

/** A ReplicaSet as the pod handlers need it. */
export interface ReplicaSetRef {
  /** The queue key, "namespace/name". */
  key: string;
  minReadySeconds: number;
}

export interface ReplicaSetLookup {
  /** The cached ReplicaSet a controller reference names, if it has that UID (upstream resolveControllerRef). */
  resolve(namespace: string, ref: OwnerReference): ReplicaSetRef | undefined;
  /** The ReplicaSets of the pod's namespace whose selector matches its labels (upstream getPodReplicaSets). */
  matching(pod: KubeObject): ReplicaSetRef[];
  /** Ready=True; false for a pod that does not parse. */
  isReady(pod: KubeObject): boolean;
}

export interface PodEventSink {
  creationObserved(rsKey: string): void;
  deletionObserved(rsKey: string, podUid: string): void;
  enqueue(rsKey: string): void;
  enqueueAfter(rsKey: string, ms: number): void;
}

export class PodEventHandler {
  constructor(
    private readonly lookup: ReplicaSetLookup,
    private readonly sink: PodEventSink,
  ) {}

  add(pod: KubeObject): void {
    // A pod that shows up already being deleted (e.g. on a restart) is no creation to observe.
    if (pod.metadata?.deletionTimestamp) return this.delete(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.lookup.resolve(pod.metadata?.namespace ?? "", ref);
      if (!rs) return;
      this.sink.creationObserved(rs.key);
      this.sink.enqueue(rs.key);
      return;
    }
    // An orphan: every ReplicaSet that matches may want to adopt it. No
    // creation is observed: nobody created an orphan on purpose.
    for (const rs of this.lookup.matching(pod)) this.sink.enqueue(rs.key);
  }

  update(oldPod: KubeObject, curPod: KubeObject): void {
    // A relist replays every pod; the same version means no change.
    if (curPod.metadata?.resourceVersion === oldPod.metadata?.resourceVersion) return;
    const labelsChanged = !semanticEqual(oldPod.metadata?.labels ?? {}, curPod.metadata?.labels ?? {});
    if (curPod.metadata?.deletionTimestamp) {
      // A graceful deletion starts with the timestamp and ends much later;
      // the ReplicaSet replaces the pod now, so the deletion counts now.
      this.delete(curPod);
      if (labelsChanged) this.delete(oldPod);
      return;
    }

    const curRef = getControllerOf(curPod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = !semanticEqual(curRef, oldRef);
    if (refChanged && oldRef) {
      const old = this.lookup.resolve(oldPod.metadata?.namespace ?? "", oldRef);
      if (old) this.sink.enqueue(old.key);
    }

    if (curRef) {
      const rs = this.lookup.resolve(curPod.metadata?.namespace ?? "", curRef);
      if (!rs) return;
      this.sink.enqueue(rs.key);
      // Availability changes with time alone, with no event to announce it:
      // look again once minReadySeconds have passed (a second more for clock skew, as upstream).
      if (rs.minReadySeconds > 0 && !this.lookup.isReady(oldPod) && this.lookup.isReady(curPod)) {
        this.sink.enqueueAfter(rs.key, (rs.minReadySeconds + 1) * 1000);
      }
      return;
    }

    // An orphan whose labels or owner changed may now match someone.
    if (labelsChanged || refChanged) for (const rs of this.lookup.matching(curPod)) this.sink.enqueue(rs.key);
  }

  /** Also for a pod found gone by a relist: the last state the cache had is good enough. */
  delete(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.lookup.resolve(pod.metadata?.namespace ?? "", ref);
    if (!rs) return;
    this.sink.deletionObserved(rs.key, pod.metadata?.uid ?? "");
    this.sink.enqueue(rs.key);
  }
}

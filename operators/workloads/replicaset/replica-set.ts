// The ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go):
// keeps spec.replicas active mirror Pods for every ReplicaSet. The decisions
// are pure (planReplicas, calculateStatus, decideClaim); this file reads the
// caches, applies them and tracks expectations.
import type { Logger } from "pino";
import { kinds, labelSelectorMatches } from "../../api/index.ts";
import type { Pod, ReplicaSet } from "../../api/index.ts";
import { isNotFound } from "../../runtime/client/index.ts";
import type { KubeObject, ObjectKey, OwnerReference, Patch } from "../../runtime/client/index.ts";
import type { ReconcileContext, Request, Result } from "../../runtime/controller/request.ts";
import { requestKey } from "../../runtime/controller/request.ts";
import { Expectations } from "../../runtime/expectations.ts";
import type { EventHandlers } from "../../runtime/informer/informer.ts";
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX, objectKey } from "../../runtime/informer/indexers.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import {
  apiGroupOf,
  cachedParser,
  ControllerRefManager,
  filterActivePods,
  getControllerOf,
  InvalidObjectReporter,
  isPodReady,
  newControllerRef,
  recheckDeletionTimestamp,
  updateStatusIfChanged,
} from "../common/index.ts";
import type { OwnerKind } from "../common/index.ts";
import { BURST_REPLICAS, planReplicas } from "./plan.ts";
import { isNamespaceTerminating, PodControl } from "./pod-control.ts";
import type { EventSink, PodWriter } from "./pod-control.ts";
import { PodEventHandler } from "./pod-events.ts";
import type { ReplicaSetLookup, ReplicaSetRef } from "./pod-events.ts";
import { calculateStatus } from "./replica-set-utils.ts";
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from "./slow-start.ts";

export const REPLICA_SET_KIND: OwnerKind = { apiVersion: kinds.ReplicaSet.apiVersion, kind: kinds.ReplicaSet.kind };

/** Everything the controller reads and writes, so tests can hand it fakes. */
export interface ReplicaSetControllerDeps {
  /** The shared caches: reconciles read only these, never list the API server. */
  replicaSets: ReadonlyStore<KubeObject>;
  pods: ReadonlyStore<KubeObject>;
  replicaSetClient: {
    /** The live read before adopting (upstream's uncached quorum read). */
    get(key: ObjectKey): Promise<KubeObject>;
    updateStatus(obj: KubeObject): Promise<KubeObject>;
  };
  podClient: PodWriter & { patch(key: ObjectKey, patch: Patch): Promise<unknown> };
  events: EventSink;
  expectations?: Expectations;
  now?: () => Date;
  burstReplicas?: number;
}

export class ReplicaSetController {
  readonly expectations: Expectations;
  private readonly parseReplicaSet = cachedParser(kinds.ReplicaSet);
  private readonly parsePod = cachedParser(kinds.Pod);
  private readonly podControl: PodControl;
  private readonly invalid: InvalidObjectReporter;
  private readonly now: () => Date;
  private readonly burstReplicas: number;

  constructor(private readonly deps: ReplicaSetControllerDeps) {
    this.expectations = deps.expectations ?? new Expectations();
    this.podControl = new PodControl(deps.podClient, deps.events);
    this.invalid = new InvalidObjectReporter(deps.events);
    this.now = deps.now ?? (() => new Date());
    this.burstReplicas = deps.burstReplicas ?? BURST_REPLICAS;
  }

  /**
   * Upstream syncReplicaSet: claim the active pods, create or delete pods if
   * the expectations of the last sync are met and the ReplicaSet is not being
   * deleted, then write status, always. A manageReplicas error is thrown
   * (after status records it) so the queue retries with backoff.
   */
  async sync(req: Request, ctx: Pick<ReconcileContext, "log">): Promise<Result | void> {
    const key = requestKey(req);
    const raw = this.deps.replicaSets.get(key);
    if (!raw) {
      this.expectations.delete(key);
      this.invalid.forget(key);
      return;
    }
    const parsed = this.parseReplicaSet(raw);
    if (!parsed.ok) {
      this.invalid.report(key, this.eventTarget(raw), parsed.error, ctx.log);
      return;
    }
    this.invalid.forget(key);
    const rs = parsed.value;
    const now = this.now();

    const needsSync = this.expectations.satisfied(key);
    // Every pod of the namespace, not only the selected ones: a pod we own
    // whose labels no longer match must be found to be released.
    const active = filterActivePods(this.podsIn(rs.metadata.namespace ?? ""));
    const claimed = await this.claimPods(rs, active);

    let manageError: Error | undefined;
    if (needsSync && !rs.metadata.deletionTimestamp) manageError = await this.manageReplicas(key, rs, raw, claimed, now, ctx.log);

    const status = calculateStatus(rs, claimed, manageError, now);
    await updateStatusIfChanged(this.deps.replicaSetClient, raw, status, rs.status);
    if (manageError) throw manageError;

    // Ready pods become available with time alone: sync again when they should be.
    const minReadySeconds = rs.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && (status.readyReplicas ?? 0) === rs.spec.replicas && (status.availableReplicas ?? 0) !== rs.spec.replicas) {
      return { requeueAfterMs: minReadySeconds * 1000 };
    }
  }

  /** Upstream manageReplicas. Returns the first error, after doing what could be done. */
  private async manageReplicas(key: string, rs: ReplicaSet, raw: KubeObject, pods: Pod[], now: Date, log: Logger): Promise<Error | undefined> {
    // The doubled-up rank only matters when deleting; skip finding related pods otherwise.
    const relatedPods = pods.length > rs.spec.replicas ? this.relatedPods(rs) : [];
    const plan = planReplicas(rs, pods, now, { relatedPods, burstReplicas: this.burstReplicas });
    const target = this.eventTarget(raw);

    if (plan.kind === "create") {
      // Expect them all before the first request: the informer may report a
      // new pod before its create call returns.
      this.expectations.expectCreations(key, plan.count);
      log.debug({ need: rs.spec.replicas, creating: plan.count }, "too few replicas");
      const ref = newControllerRef(rs, REPLICA_SET_KIND);
      const { successes, error } = await slowStartBatch(plan.count, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPod(rs.spec.template, target, ref);
        } catch (err) {
          // The namespace is going away: every create would fail, and nobody needs the pods.
          if (!isNamespaceTerminating(err)) throw err;
        }
      });
      // Pods never created (failed, or skipped after a failed batch) will never be observed.
      const skipped = plan.count - successes;
      if (skipped > 0) {
        log.debug({ skipped }, "slow-start failure; skipping creation of pods, decrementing expectations");
        this.expectations.lowerCreations(key, skipped);
      }
      return error === undefined ? undefined : asError(error);
    }

    if (plan.kind === "delete") {
      log.debug({ need: rs.spec.replicas, deleting: plan.pods.length }, "too many replicas");
      this.expectations.expectDeletions(
        key,
        plan.pods.map((p) => p.metadata.uid ?? ""),
      );
      const errors = await Promise.all(
        plan.pods.map(async (pod) => {
          try {
            await this.podControl.deletePod(pod.metadata.namespace ?? "", pod.metadata.name ?? "", target);
            return undefined;
          } catch (err) {
            // This deletion will never be observed; a pod already gone is what we wanted.
            this.expectations.deletionObserved(key, pod.metadata.uid ?? "");
            return isNotFound(err) ? undefined : asError(err);
          }
        }),
      );
      return errors.find((e) => e !== undefined);
    }
    return undefined;
  }

  /** Adopts matching orphans and releases owned pods that stopped matching (upstream claimPods). */
  private claimPods(rs: ReplicaSet, pods: Pod[]): Promise<Pod[]> {
    const namespace = rs.metadata.namespace ?? "";
    const name = rs.metadata.name ?? "";
    const manager = new ControllerRefManager<Pod>({
      owner: rs,
      ownerKind: REPLICA_SET_KIND,
      objectKind: "Pod",
      matches: (pod) => labelSelectorMatches(rs.spec.selector, pod.metadata.labels ?? {}),
      canAdopt: recheckDeletionTimestamp(rs, kinds.ReplicaSet.kind, () => this.deps.replicaSetClient.get({ namespace, name })),
      patch: (pod, patch) => this.deps.podClient.patch({ namespace: pod.metadata.namespace, name: pod.metadata.name ?? "" }, patch),
    });
    return manager.claim(pods);
  }

  /**
   * The pods of every ReplicaSet that has this one's controller, this one
   * included (upstream getIndirectlyRelatedPods): a Deployment's old and new
   * ReplicaSets share nodes, and scaling down should thin out the crowded ones.
   */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const controller = getControllerOf(rs);
    if (!controller) return [];
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const raw of this.deps.replicaSets.byIndex(CONTROLLER_OWNER_INDEX, controller.uid)) {
      const parsed = this.parseReplicaSet(raw);
      if (!parsed.ok) continue;
      const other = parsed.value;
      for (const pod of this.podsIn(other.metadata.namespace ?? "")) {
        const uid = pod.metadata.uid ?? "";
        if (seen.has(uid) || !labelSelectorMatches(other.spec.selector, pod.metadata.labels ?? {})) continue;
        seen.add(uid);
        related.push(pod);
      }
    }
    return related;
  }

  /** The namespace's mirror Pods from the cache, parsed; one that does not parse is nobody's replica. */
  private podsIn(namespace: string): Pod[] {
    const pods: Pod[] = [];
    for (const raw of this.deps.pods.byIndex(NAMESPACE_INDEX, namespace)) {
      const parsed = this.parsePod(raw);
      if (parsed.ok) pods.push(parsed.value);
    }
    return pods;
  }

  /** Events name the ReplicaSet by its kind even if a cached list item omits apiVersion and kind. */
  private eventTarget(raw: KubeObject): KubeObject {
    return { ...raw, apiVersion: kinds.ReplicaSet.apiVersion, kind: kinds.ReplicaSet.kind };
  }

  /** The lookups the pod event handlers make in the ReplicaSet cache. */
  private lookup(): ReplicaSetLookup {
    const parsedRef = (raw: KubeObject) => {
      const parsed = this.parseReplicaSet(raw);
      return parsed.ok ? { ref: { key: objectKey(raw), minReadySeconds: parsed.value.spec.minReadySeconds ?? 0 }, rs: parsed.value } : undefined;
    };
    return {
      resolve: (namespace: string, ref: OwnerReference): ReplicaSetRef | undefined => {
        if (ref.kind !== kinds.ReplicaSet.kind || apiGroupOf(ref.apiVersion) !== kinds.ReplicaSet.group) return undefined;
        const raw = this.deps.replicaSets.get(`${namespace}/${ref.name}`);
        // A namesake with another UID is a different ReplicaSet.
        if (!raw || raw.metadata?.uid !== ref.uid) return undefined;
        // A malformed one still has its expectations kept (and cleared) by key.
        return parsedRef(raw)?.ref ?? { key: objectKey(raw), minReadySeconds: 0 };
      },
      matching: (pod: KubeObject): ReplicaSetRef[] => {
        const labels = pod.metadata?.labels ?? {};
        return this.deps.replicaSets.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? "").flatMap((raw) => {
          const p = parsedRef(raw);
          return p && labelSelectorMatches(p.rs.spec.selector, labels) ? [p.ref] : [];
        });
      },
      isReady: (pod: KubeObject) => {
        const parsed = this.parsePod(pod);
        return parsed.ok && isPodReady(parsed.value);
      },
    };
  }

  /** Handlers for the mirror Pod informer: expectations, orphans, and the minReadySeconds recheck. */
  podEventHandlers(queue: { enqueue(key: string): void; enqueueAfter(key: string, ms: number): void }): EventHandlers<KubeObject> {
    const handler = new PodEventHandler(this.lookup(), {
      creationObserved: (rsKey) => this.expectations.creationObserved(rsKey),
      deletionObserved: (rsKey, uid) => this.expectations.deletionObserved(rsKey, uid),
      enqueue: (rsKey) => queue.enqueue(rsKey),
      enqueueAfter: (rsKey, ms) => queue.enqueueAfter(rsKey, ms),
    });
    return {
      add: (pod) => handler.add(pod),
      update: (oldPod, curPod) => handler.update(oldPod, curPod),
      delete: (pod) => handler.delete(pod),
    };
  }

  /**
   * Handlers for the ReplicaSet informer (the builder enqueues it): a
   * ReplicaSet that is gone, or replaced by a namesake, starts its expectations afresh.
   */
  replicaSetEventHandlers(): EventHandlers<KubeObject> {
    return {
      update: (oldRs, curRs) => {
        if (oldRs.metadata?.uid !== curRs.metadata?.uid) this.expectations.delete(objectKey(oldRs));
      },
      delete: (rs) => this.expectations.delete(objectKey(rs)),
    };
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

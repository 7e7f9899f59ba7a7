// The StatefulSet controller (upstream pkg/controller/statefulset/
// stateful_set.go and defaultStatefulSetControl.UpdateStatefulSet): reads a
// mirror StatefulSet, its mirror Pods, its claims and its ControllerRevisions
// from the caches; settles the current and update revisions; plans one step
// with planStatefulSet and performs it; writes status; trims the history.
import type { Logger } from "pino";
import { kinds, labelSelectorMatches } from "../../api/index.ts";
import type { Pod, StatefulSet } from "../../api/index.ts";
import type { KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { Mapper } from "../../runtime/controller/builder.ts";
import type { ReconcileContext, Request, Result } from "../../runtime/controller/request.ts";
import { requestKey } from "../../runtime/controller/request.ts";
import { Expectations } from "../../runtime/expectations.ts";
import type { EventHandlers } from "../../runtime/informer/informer.ts";
import { NAMESPACE_INDEX, objectKey } from "../../runtime/informer/indexers.ts";
import type { ReadonlyStore } from "../../runtime/informer/store.ts";
import {
  adoptionPatch,
  apiGroupOf,
  cachedParser,
  ControllerRefManager,
  getControllerOf,
  InvalidObjectReporter,
  recheckDeletionTimestamp,
  updateStatusIfChanged,
} from "../common/index.ts";
import type { CachedParser, StatusWriter } from "../common/index.ts";
import type { StatefulSetPlan } from "./actions.ts";
import { executePlan, plannedChanges } from "./execute.ts";
import { STATEFUL_SET_KIND } from "./names.ts";
import type { ControllerRevision } from "./revision.ts";
import { currentRevisionOf, decideUpdateRevision, revisionsToTruncate, sortRevisions, templateOf } from "./revision.ts";
import type { RevisionClient } from "./revision-control.ts";
import { deleteRevisions, establishUpdateRevision } from "./revision-control.ts";
import { planStatefulSet } from "./stateful-set-control.ts";
import { StatefulPodControl } from "./stateful-pod-control.ts";
import type { ClaimClient, EventSink, PodClient } from "./stateful-pod-control.ts";
import { isMemberOf, podRevision } from "./stateful-set-utils.ts";
import { statefulSetStatus } from "./status.ts";

/** Everything the controller reads and writes, so tests can hand it fakes. */
export interface StatefulSetControllerDeps {
  /** The shared caches: reconciles read only these, never list the API server. */
  statefulSets: ReadonlyStore<KubeObject>;
  pods: ReadonlyStore<KubeObject>;
  claims: ReadonlyStore<KubeObject>;
  revisions: ReadonlyStore<KubeObject>;
  statefulSetClient: StatusWriter<KubeObject> & {
    /** The live read before adopting (upstream's uncached quorum read). */
    get(key: ObjectKey): Promise<KubeObject>;
  };
  podClient: PodClient;
  claimClient: ClaimClient;
  revisionClient: RevisionClient;
  events: EventSink;
  expectations?: Expectations;
  now?: () => Date;
}

// How long a sync that waits for its expectations waits at most before looking again.
const EXPECTATION_RECHECK_MS = 30_000;

export class StatefulSetController {
  readonly expectations: Expectations;
  private readonly parseSet = cachedParser(kinds.StatefulSet);
  private readonly parsePod = cachedParser(kinds.Pod);
  private readonly podControl: StatefulPodControl;
  private readonly invalid: InvalidObjectReporter;
  private readonly now: () => Date;

  constructor(private readonly deps: StatefulSetControllerDeps) {
    this.expectations = deps.expectations ?? new Expectations();
    this.podControl = new StatefulPodControl(deps.podClient, deps.claimClient, deps.events);
    this.invalid = new InvalidObjectReporter(deps.events);
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Upstream sync and syncStatefulSet. The pods are acted on only once the
   * creations and deletions of the last sync are in the cache: names are
   * fixed, so a stale cache would not duplicate a pod, but it would repeat
   * deletions and events, and misjudge what is ready.
   */
  async sync(req: Request, ctx: Pick<ReconcileContext, "log">): Promise<Result | void> {
    const key = requestKey(req);
    const cached = this.deps.statefulSets.get(key);
    if (!cached) {
      // Deleted: the garbage collector removes its pods, claims (by policy) and revisions.
      this.expectations.delete(key);
      this.invalid.forget(key);
      return;
    }
    const raw = { ...cached, apiVersion: kinds.StatefulSet.apiVersion, kind: kinds.StatefulSet.kind };
    const parsed = this.parseSet(cached);
    if (!parsed.ok) {
      this.invalid.report(key, raw, parsed.error, ctx.log);
      return;
    }
    this.invalid.forget(key);
    const set = parsed.value;

    const revisions = sortRevisions(await this.claimRevisions(set));
    const pods = await this.claimPods(set);
    const decision = decideUpdateRevision(set, revisions);
    const { revision: update, collisionCount } = await establishUpdateRevision(this.deps.revisionClient, set, decision, set.status?.collisionCount ?? 0);
    const current = currentRevisionOf(set, revisions, update);
    const currentTemplate = current === update ? set.spec.template : templateOf(current);
    if (!currentTemplate) throw new Error(`ControllerRevision ${set.metadata.namespace}/${current.metadata?.name} does not record a pod template`);

    const now = this.now();
    const plan = planStatefulSet({
      set,
      currentRevision: { name: current.metadata?.name ?? "", template: currentTemplate },
      updateRevision: { name: update.metadata?.name ?? "", template: set.spec.template },
      pods,
      claim: (name) => this.deps.claims.get(`${set.metadata.namespace}/${name}`),
      now,
    });
    const waiting = !this.expectations.satisfied(key);
    if (waiting) ctx.log.debug("waiting for the cache to show the pods last created and deleted");
    const { progress, error } = waiting ? { progress: undefined, error: undefined } : await this.perform(key, raw, plan, ctx.log);

    // A pod deleted for the update no longer counts at the current revision (upstream decrements
    // currentReplicas for each; here only for those that counted, so the count cannot go below 0).
    const currentName = current.metadata?.name ?? "";
    const replaced = progress?.updated.filter((pod) => podRevision(pod) === currentName).length ?? 0;
    const counts = { ...plan.counts, currentReplicas: plan.counts.currentReplicas - replaced };
    const status = statefulSetStatus(set, { counts, currentRevision: currentName, updateRevision: update.metadata?.name ?? "", collisionCount });
    await updateStatusIfChanged(this.deps.statefulSetClient, cached, status, set.status);

    // The live revisions: current, update, and every one a pod was made from.
    const live = [current.metadata?.name ?? "", update.metadata?.name ?? "", ...pods.map(podRevision)];
    await deleteRevisions(this.deps.revisionClient, revisionsToTruncate(set, revisions, live));
    if (error !== undefined) throw error;

    // Ready pods become available with time alone: look again when they should be.
    const minReadySeconds = set.spec.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && status.availableReplicas !== set.spec.replicas) return { requeueAfterMs: minReadySeconds * 1000 };
    // A safety net only: the pod events the expectations wait for bring the set back first.
    if (waiting) return { requeueAfterMs: EXPECTATION_RECHECK_MS };
  }

  /** Performs the plan with the expectations set up front, and lowered for what was not done. */
  private async perform(key: string, raw: KubeObject, plan: StatefulSetPlan, log: Logger) {
    if (plan.halted) log.debug({ reason: plan.halted }, "halted");
    const { creates, deletes } = plannedChanges(plan);
    if (creates.length > 0 || deletes.length > 0) {
      this.expectations.expectCreations(key, creates.length);
      this.expectations.expectDeletions(key, deletes);
    }
    const result = await executePlan(plan, (action) => this.podControl.perform(raw, action));
    const notCreated = creates.filter((name) => !result.progress.created.has(name)).length;
    if (notCreated > 0) this.expectations.lowerCreations(key, notCreated);
    for (const uid of deletes) if (!result.progress.deleted.has(uid)) this.expectations.deletionObserved(key, uid);
    return result;
  }

  /**
   * The set's revisions after adopting matching orphans (upstream
   * adoptOrphanRevisions and ListControllerRevisions): those it controls and
   * those nobody controls whose labels its selector matches.
   */
  private async claimRevisions(set: StatefulSet): Promise<ControllerRevision[]> {
    const namespace = set.metadata.namespace ?? "";
    const uid = set.metadata.uid;
    const owned: ControllerRevision[] = [];
    const orphans: ControllerRevision[] = [];
    for (const r of this.deps.revisions.byIndex(NAMESPACE_INDEX, namespace) as ControllerRevision[]) {
      const ref = getControllerOf(r);
      if (ref?.uid === uid) owned.push(r);
      else if (!ref && labelSelectorMatches(set.spec.selector, r.metadata?.labels ?? {})) orphans.push(r);
    }
    if (orphans.length === 0 || set.metadata.deletionTimestamp) return owned;
    await recheckDeletionTimestamp(set, kinds.StatefulSet.kind, () => this.deps.statefulSetClient.get({ namespace, name: set.metadata.name ?? "" }))();
    const ref = { ...STATEFUL_SET_KIND, name: set.metadata.name ?? "", uid: uid ?? "", controller: true, blockOwnerDeletion: true };
    for (const r of orphans) owned.push(await this.deps.revisionClient.patch({ namespace, name: r.metadata?.name ?? "" }, adoptionPatch(r, ref)));
    return owned;
  }

  /**
   * The set's pods after adopting matching orphans and releasing its own
   * that stopped matching (upstream getPodsForStatefulSet): a pod is the
   * set's if the selector matches it and its name says it is a member.
   */
  private claimPods(set: StatefulSet): Promise<Pod[]> {
    const namespace = set.metadata.namespace ?? "";
    const manager = new ControllerRefManager<Pod>({
      owner: set,
      ownerKind: STATEFUL_SET_KIND,
      objectKind: "Pod",
      matches: (pod) => labelSelectorMatches(set.spec.selector, pod.metadata.labels ?? {}) && isMemberOf(set, pod),
      canAdopt: recheckDeletionTimestamp(set, kinds.StatefulSet.kind, () => this.deps.statefulSetClient.get({ namespace, name: set.metadata.name ?? "" })),
      patch: (pod, patch: Patch) => this.deps.podClient.patch({ namespace, name: pod.metadata.name ?? "" }, patch),
    });
    return manager.claim(this.podsIn(namespace));
  }

  private podsIn(namespace: string): Pod[] {
    return parsedIn(this.deps.pods, namespace, this.parsePod);
  }

  private setsIn(namespace: string): StatefulSet[] {
    return parsedIn(this.deps.statefulSets, namespace, this.parseSet);
  }

  /** The cached mirror StatefulSet a controller reference names, if it has that uid. */
  private controllerSet(obj: KubeObject): string | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== kinds.StatefulSet.kind || apiGroupOf(ref.apiVersion) !== kinds.StatefulSet.group) return undefined;
    const key = `${obj.metadata?.namespace ?? ""}/${ref.name}`;
    return this.deps.statefulSets.get(key)?.metadata?.uid === ref.uid ? key : undefined;
  }

  /**
   * Which sets a pod event concerns (upstream addPod, updatePod, deletePod):
   * its controller; for an orphan, every set that would adopt it.
   */
  readonly podMapper: Mapper<KubeObject> = (pod) => {
    const namespace = pod.metadata?.namespace ?? "";
    if (getControllerOf(pod)) {
      const key = this.controllerSet(pod);
      return key ? [{ namespace, name: key.slice(namespace.length + 1) }] : [];
    }
    return this.setsIn(namespace)
      .filter((set) => isMemberOf(set, pod) && labelSelectorMatches(set.spec.selector, pod.metadata?.labels ?? {}))
      .map((set) => ({ namespace, name: set.metadata.name ?? "" }));
  };

  /**
   * Which sets a claim event concerns: those whose selector matches it (a
   * set's claims carry its matchLabels). Not upstream, which does not watch
   * claims: a pod waiting for a stale claim to go is created as soon as it is gone.
   */
  readonly claimMapper: Mapper<KubeObject> = (claim) => {
    const namespace = claim.metadata?.namespace ?? "";
    return this.setsIn(namespace)
      .filter((set) => labelSelectorMatches(set.spec.selector, claim.metadata?.labels ?? {}))
      .map((set) => ({ namespace, name: set.metadata.name ?? "" }));
  };

  /** Handlers for the mirror Pod informer: what the expectations wait for. */
  podEventHandlers(): EventHandlers<KubeObject> {
    const deleted = (pod: KubeObject) => {
      const key = this.controllerSet(pod);
      if (key) this.expectations.deletionObserved(key, pod.metadata?.uid ?? "");
    };
    return {
      add: (pod) => {
        const key = this.controllerSet(pod);
        if (!key) return;
        if (pod.metadata?.deletionTimestamp) this.expectations.deletionObserved(key, pod.metadata.uid ?? "");
        else this.expectations.creationObserved(key);
      },
      // A deletion counts once it starts: the set replaces the pod from then on.
      update: (_old, cur) => {
        if (cur.metadata?.deletionTimestamp) deleted(cur);
      },
      delete: deleted,
    };
  }

  /** Handlers for the StatefulSet informer: a set gone, or replaced by a namesake, starts its expectations afresh. */
  statefulSetEventHandlers(): EventHandlers<KubeObject> {
    return {
      update: (oldSet, curSet) => {
        if (oldSet.metadata?.uid !== curSet.metadata?.uid) this.expectations.delete(objectKey(oldSet));
      },
      delete: (set) => this.expectations.delete(objectKey(set)),
    };
  }
}

/** The namespace's cached objects that parse; one that does not is nobody's (and is reported by its own controller). */
function parsedIn<T>(store: ReadonlyStore<KubeObject>, namespace: string, parse: CachedParser<T>): T[] {
  return store.byIndex(NAMESPACE_INDEX, namespace).flatMap((raw) => {
    const parsed = parse(raw);
    return parsed.ok ? [parsed.value] : [];
  });
}

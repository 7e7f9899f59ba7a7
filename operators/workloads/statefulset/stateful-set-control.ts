// The StatefulSet's update loop as a pure decision (upstream
// stateful_set_control.go updateStatefulSet, processReplica,
// processCondemned, updateStatefulSetAfterInvariantEstablished): given the
// set, its current and update revisions, its pods and the claims the cache
// holds, which pods and claims to create, update and delete, in which order.
import type { Pod, PodTemplateSpec, StatefulSet } from "../../api/index.ts";
import type { NewPod } from "../common/index.ts";
import type { ClaimOwnerUpdate, ClaimWork, PodAction, PodStep, StatefulSetPlan } from "./actions.ts";
import type { ClaimObject, ClaimOwner } from "./claims.ts";
import { claimOwnerRefsFor, hasUnexpectedController, isClaimOwnerUpToDate, newClaims, podClaimIsStale } from "./claims.ts";
import { countReplicas } from "./status.ts";
import {
  getOrdinal,
  identityLabels,
  identityMatches,
  isFinished,
  isMonotonic,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  isUnavailable,
  maxUnavailable,
  newStatefulSetPod,
  ordinalInRange,
  partition,
  podName,
  podRevision,
  startOrdinal,
  storageMatches,
  withClaimVolumes,
} from "./stateful-set-utils.ts";

/** A revision as the planner uses it: its name (the pods' label) and the template it records. */
export interface RevisionRef {
  name: string;
  template: PodTemplateSpec;
}

export interface PlanInput {
  set: StatefulSet;
  currentRevision: RevisionRef;
  updateRevision: RevisionRef;
  /** The pods the set controls. */
  pods: readonly Pod[];
  /** A claim of the set's namespace from the cache, by name. */
  claim(name: string): ClaimObject | undefined;
  now: Date;
}

/** A replica's place: its ordinal and its pod, if it exists. */
interface Slot {
  ordinal: number;
  pod?: Pod;
}

/** What processing one pod decided, and whether an OrderedReady sync stops there. */
interface Outcome {
  actions: PodAction[];
  exit?: string;
}

export function planStatefulSet(input: PlanInput): StatefulSetPlan {
  const { set, now } = input;
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const slots: Slot[] = Array.from({ length: set.spec.replicas }, (_, i) => ({ ordinal: start + i }));
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ordinal = getOrdinal(pod);
    const slot = ordinalInRange(set, ordinal) ? slots[ordinal - start] : undefined;
    if (slot) slot.pod = pod;
    else if (ordinal >= 0) condemned.push(pod);
  }
  // Scale-down goes from the highest ordinal.
  condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));
  const existing = [...slots.flatMap((s) => (s.pod ? [s.pod] : [])), ...condemned];
  const counts = countReplicas(existing, minReadySeconds, now, input.currentRevision.name, input.updateRevision.name);
  const monotonic = isMonotonic(set);
  const plan: StatefulSetPlan = { monotonic, phases: [], counts };
  // A set being deleted only reports status; the garbage collector removes its pods.
  if (set.metadata.deletionTimestamp) return plan;

  // OrderedReady deletes an unhealthy condemned pod only if it is the first unavailable pod of
  // all: no replica is (a missing one counts), and no lower condemned pod is.
  const replicaUnavailable = slots.some((s) => isUnavailable(s.pod, minReadySeconds, now));
  const firstUnavailable = replicaUnavailable ? undefined : [...condemned].reverse().find((pod) => isUnavailable(pod, minReadySeconds, now));

  const claims = new ClaimPlanner(input);
  const replicas: PodStep[] = [];
  plan.phases.push(replicas);
  for (const slot of slots) {
    const outcome = processReplica(input, slot, claims, monotonic);
    // Parallel creates in slow-start batches over every replica, as upstream; OrderedReady only lists what it does.
    if (!monotonic || outcome.actions.length > 0) replicas.push({ pod: podName(set, slot.ordinal), actions: outcome.actions });
    if (monotonic && outcome.exit) return { ...plan, halted: outcome.exit };
  }

  const condemnedClaims: PodStep[] = [];
  plan.phases.push(condemnedClaims);
  for (const pod of condemned) {
    const owners = claims.ownerUpdates(pod, true);
    if (owners.length > 0) condemnedClaims.push({ pod: pod.metadata.name ?? "", actions: [{ type: "updateClaimOwners", pod, owners }] });
  }

  const condemnedPods: PodStep[] = [];
  plan.phases.push(condemnedPods);
  for (const pod of condemned) {
    const name = pod.metadata.name ?? "";
    if (isTerminating(pod)) {
      if (monotonic) return { ...plan, halted: `waiting for ${name} to terminate before scaling down` };
      continue;
    }
    if (monotonic && pod !== firstUnavailable && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now))) {
      return { ...plan, halted: `waiting for ${firstUnavailable?.metadata.name ?? name} to be available before scaling down` };
    }
    condemnedPods.push({ pod: name, actions: [{ type: "deletePod", pod, cause: "condemned" }] });
    if (monotonic) return { ...plan, halted: `deleting ${name} for scale down` };
  }

  // OnDelete: pods are updated when someone deletes them.
  if (set.spec.updateStrategy.type === "OnDelete") return plan;
  const update = planUpdate(input, slots);
  plan.phases.push(update);
  return plan;
}

/** Upstream processReplica for one slot. */
function processReplica(input: PlanInput, slot: Slot, claims: ClaimPlanner, monotonic: boolean): Outcome {
  const { set, now } = input;
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  const name = podName(set, slot.ordinal);
  const pod = slot.pod;
  if (pod && isFinished(pod)) {
    // Failed or Succeeded: deleted, and created again once it is gone.
    return { actions: isTerminating(pod) ? [] : [{ type: "deletePod", pod, cause: "finished" }], exit: `recreating ${pod.status.phase} ${name}` };
  }
  if (!pod) {
    if (podClaimIsStale(set, name, claims.existing(slot.ordinal))) return { actions: [], exit: `a claim of ${name} still belongs to its previous pod` };
    const created = newVersionedPod(input, slot.ordinal);
    const actions: PodAction[] = [{ type: "createPod", pod: created, claims: claims.work({ name }, slot.ordinal) }];
    // A pod just created is neither pending nor terminating, and has its identity and storage.
    return monotonic ? { actions, exit: `creating ${name}` } : { actions };
  }

  const actions: PodAction[] = [];
  let ownersSettled = false;
  if (pod.status.phase === "Pending") {
    const work = claims.work(ownerOf(pod), slot.ordinal);
    if (work.create.length > 0 || work.terminating || work.owners.length > 0) actions.push({ type: "createMissingClaims", pod, claims: work });
    ownersSettled = true;
  }
  if (monotonic) {
    if (isTerminating(pod)) return { actions, exit: `waiting for ${name} to terminate` };
    if (!isRunningAndReady(pod)) return { actions, exit: `waiting for ${name} to be Running and Ready` };
    if (!isRunningAndAvailable(pod, minReadySeconds, now)) return { actions, exit: `waiting for ${name} to be available` };
  }

  const identity = identityMatches(set, pod);
  const storage = storageMatches(set, pod);
  const owners = ownersSettled ? [] : claims.ownerUpdates(pod, false);
  if (identity && storage && owners.length === 0) return { actions };
  // Restoring the claim volumes creates the claims they mount, as upstream.
  const restored = storage ? undefined : claims.work(ownerOf(pod), slot.ordinal);
  actions.push({
    type: "updatePod",
    pod,
    ...(!identity && { labels: identityLabels(name, slot.ordinal) }),
    ...(!storage && { volumes: withClaimVolumes(set, slot.ordinal, pod.spec.volumes) ?? [] }),
    claims: { create: restored?.create ?? [], ...(restored?.terminating && { terminating: restored.terminating }), owners },
  });
  return { actions };
}

/**
 * Upstream newVersionedStatefulSetPod: a RollingUpdate set makes ordinals
 * below start + partition at the current revision, all others (and every
 * pod of an OnDelete set) at the update revision.
 */
function newVersionedPod(input: PlanInput, ordinal: number): NewPod {
  const { set, currentRevision, updateRevision } = input;
  const atCurrent = set.spec.updateStrategy.type === "RollingUpdate" && ordinal < startOrdinal(set) + partition(set);
  const revision = atCurrent ? currentRevision : updateRevision;
  return newStatefulSetPod(set, revision.template, ordinal, revision.name);
}

/**
 * Upstream updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet,
 * on by default since v1.35; with maxUnavailable 1 it is the one-at-a-time
 * update of older releases): when at most maxUnavailable replicas are
 * unavailable, delete up to the difference of the pods not at the update
 * revision, from the highest ordinal down to the partition.
 */
function planUpdate(input: PlanInput, slots: readonly Slot[]): PodStep[] {
  const { set, now } = input;
  const minReadySeconds = set.spec.minReadySeconds ?? 0;
  const limit = maxUnavailable(set);
  const unavailable = slots.filter((s) => isUnavailable(s.pod, minReadySeconds, now)).length;
  if (unavailable > limit) return [];
  let budget = limit - unavailable;
  const steps: PodStep[] = [];
  for (let i = slots.length - 1; i >= partition(set) && budget > 0; i--) {
    const pod = slots[i]?.pod;
    if (!pod || isTerminating(pod) || podRevision(pod) === input.updateRevision.name) continue;
    steps.push({ pod: pod.metadata.name ?? "", actions: [{ type: "deletePod", pod, cause: "update" }] });
    budget--;
  }
  return steps;
}

function ownerOf(pod: Pod): ClaimOwner {
  return { name: pod.metadata.name ?? "", uid: pod.metadata.uid };
}

/** The claims side of a sync: what exists in the cache, what to create, whose owners to fix. */
class ClaimPlanner {
  constructor(private readonly input: PlanInput) {}

  /** The cached claims of an ordinal, in template order (absent ones included as undefined). */
  existing(ordinal: number): (ClaimObject | undefined)[] {
    return [...newClaims(this.input.set, ordinal).values()].map((c) => this.input.claim(c.metadata?.name ?? ""));
  }

  /**
   * Upstream createPersistentVolumeClaims followed by
   * UpdatePodClaimForRetentionPolicy, for a pod in range: the missing claims
   * (created with the owners the policy wants), a terminating one, and owner
   * fixes for the others.
   */
  work(pod: ClaimOwner, ordinal: number): ClaimWork {
    const { set } = this.input;
    const work: ClaimWork = { create: [], owners: [] };
    for (const claim of newClaims(set, ordinal).values()) {
      const cached = this.input.claim(claim.metadata?.name ?? "");
      if (!cached) {
        const ownerReferences = claimOwnerRefsFor(claim, set, pod, false);
        work.create.push(ownerReferences.length > 0 ? { ...claim, metadata: { ...claim.metadata, ownerReferences } } : claim);
        continue;
      }
      if (cached.metadata?.deletionTimestamp) work.terminating ??= cached.metadata.name;
      const update = this.ownerUpdate(cached, pod, false);
      if (update) work.owners.push(update);
    }
    return work;
  }

  /** Upstream ClaimsMatchRetentionPolicy and UpdatePodClaimForRetentionPolicy for an existing pod; missing claims are left to a later sync. */
  ownerUpdates(pod: Pod, scaledDown: boolean): ClaimOwnerUpdate[] {
    return this.existing(getOrdinal(pod)).flatMap((cached) => {
      const update = cached && this.ownerUpdate(cached, ownerOf(pod), scaledDown);
      return update ? [update] : [];
    });
  }

  private ownerUpdate(cached: ClaimObject, pod: ClaimOwner, scaledDown: boolean): ClaimOwnerUpdate | undefined {
    const { set } = this.input;
    if (isClaimOwnerUpToDate(cached, set, pod, scaledDown)) return undefined;
    const m = cached.metadata ?? {};
    return { name: m.name ?? "", uid: m.uid, resourceVersion: m.resourceVersion, ownerReferences: claimOwnerRefsFor(cached, set, pod, scaledDown), conflicting: hasUnexpectedController(cached, set, pod) };
  }
}

// The decision: given a mirror Pod and what the caches hold of its real Pod
// and its Node, the actions that move the world toward what the mirror Pod
// asks for. Pure; effects.ts carries the actions out.
import type { Pod, PodStatus } from "../../api/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import { findCondition, formatTime } from "../common/index.ts";
import { nodeHealth } from "./node-health.ts";
import { KUBE_SCHEDULER, Messages, REALIZED_CONDITION, REALIZER_FINALIZER, Reasons } from "./names.ts";
import { describeController, ownedReal } from "./ownership.ts";
import { buildRealPod, metadataPatch } from "./real-pod.ts";
import type { MirrorPodObject, Node, RealPod } from "./resources.ts";
import { currentStatus, failedStatus, notRealizedStatus, realizedStatus, statusChanged, statusFromReal } from "./status.ts";
import type { VolumeTranslator } from "./volumes.ts";

export type Action =
  | { kind: "addFinalizer" }
  | { kind: "removeFinalizer" }
  | { kind: "createRealPod"; pod: RealPod }
  | { kind: "deleteRealPod"; uid: string; gracePeriodSeconds: number }
  | { kind: "patchRealMetadata"; uid: string; patch: { labels?: Record<string, string | null>; annotations?: Record<string, string> } }
  /** kube-scheduler bound the real Pod: the mirror Pod's nodeName follows. */
  | { kind: "setNodeName"; nodeName: string }
  | { kind: "writeStatus"; status: PodStatus }
  /** Only the display columns changed (an unbound pod, a deleted one): they alone are patched. */
  | { kind: "patchDisplay"; display: Pick<PodStatus, "ready" | "restarts" | "display"> }
  | { kind: "event"; type: EventType; reason: string; message: string };

export interface Plan {
  /** In order; the first that fails stops the rest (the reconcile is retried). */
  actions: Action[];
  /** Look again after this long even if nothing changes (a Node's NotReady grace period running out). */
  requeueAfterMs?: number;
}

export interface PodWorld {
  mirror: Pod;
  /** The cached real Pod of the same namespace and name, whoever controls it. */
  real: RealPod | undefined;
  /** The cached Node named by boundNodeName(mirror, real); undefined if the cache has none. */
  node: Node | undefined;
  /** Milliseconds since the epoch. */
  now: number;
  nodeLostGraceMs: number;
  translateVolume: VolumeTranslator;
}

/** The node the pod runs on, as far as it is known: the mirror's, or the one kube-scheduler gave its real Pod. */
export function boundNodeName(mirror: Pod, real: RealPod | undefined): string | undefined {
  return mirror.spec.nodeName || ownedReal(real, mirror.metadata.uid)?.spec?.nodeName || undefined;
}

export function planPod(world: PodWorld): Plan {
  const { mirror, real } = world;
  const owned = ownedReal(real, mirror.metadata.uid);
  const now = formatTime(new Date(world.now));

  if (mirror.metadata.deletionTimestamp) return planTermination(mirror, owned, now);
  if (isTerminal(mirror.status.phase)) return planFinished(mirror, owned);

  let requeueAfterMs: number | undefined;
  const nodeName = boundNodeName(mirror, owned);
  if (nodeName) {
    const health = nodeHealth(world.node, nodeName, mirror.metadata.name ?? "", world.now, world.nodeLostGraceMs);
    if (health.lost) return fail(mirror, owned, Reasons.nodeLost, health.message, now);
    requeueAfterMs = health.recheckAfterMs;
  }

  const { namespace = "", name = "" } = mirror.metadata;
  let plan: Plan;
  if (owned) plan = planRealized(mirror, owned, now);
  else if (wasRealized(mirror)) {
    // The real Pod existed and is gone (or another took its name): as a pod
    // whose node lost it, the mirror Pod fails and is never realized again.
    const message = real ? Messages.realPodReplaced(namespace, name) : Messages.realPodDeleted(namespace, name);
    plan = fail(mirror, undefined, Reasons.realPodDeleted, message, now);
  } else if (real) plan = planConflict(mirror, real, now);
  else plan = planCreate(world, now);
  return requeueAfterMs === undefined ? plan : { ...plan, requeueAfterMs };
}

/**
 * A mirror Pod that does not parse (created before a schema change, or
 * written around validation): nothing is realized from it, but its deletion
 * is still carried out, so it never hangs on the finalizer.
 */
export function planInvalid(mirror: MirrorPodObject, real: RealPod | undefined): Plan {
  if (!mirror.metadata?.deletionTimestamp) return { actions: [] };
  const spec = mirror.spec as { terminationGracePeriodSeconds?: unknown } | undefined;
  const grace = typeof spec?.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30;
  return { actions: releaseActions(mirror, grace, real) };
}

/** Realized when bound, or at once when kube-scheduler is to place it (gates lifted). */
function realizable(mirror: Pod): boolean {
  if (mirror.spec.nodeName) return true;
  return mirror.spec.schedulerName === KUBE_SCHEDULER && !mirror.spec.schedulingGates?.length;
}

function wasRealized(mirror: Pod): boolean {
  return findCondition(mirror.status.conditions, REALIZED_CONDITION)?.status === "True";
}

function planCreate(world: PodWorld, now: string): Plan {
  const { mirror } = world;
  if (!realizable(mirror)) return { actions: statusActions(mirror, currentStatus(mirror)) };
  const built = buildRealPod(mirror, world.translateVolume);
  if (!built.ok) return { actions: statusActions(mirror, notRealizedStatus(mirror, Reasons.volumeNotReady, built.message, now)) };
  const { namespace = "", name = "" } = mirror.metadata;
  return {
    actions: [
      ...finalizerActions(mirror),
      { kind: "createRealPod", pod: built.pod },
      { kind: "event", type: "Normal", reason: Reasons.created, message: Messages.created(namespace, name, mirror.spec.nodeName) },
      ...statusActions(mirror, realizedStatus(mirror, now)),
    ],
  };
}

function planRealized(mirror: Pod, real: RealPod, now: string): Plan {
  const actions: Action[] = finalizerActions(mirror);
  const realNode = real.spec?.nodeName;
  if (realNode && !mirror.spec.nodeName) actions.push({ kind: "setNodeName", nodeName: realNode });
  const patch = real.metadata?.deletionTimestamp ? undefined : metadataPatch(mirror, real);
  if (patch) actions.push({ kind: "patchRealMetadata", uid: real.metadata?.uid ?? "", patch });
  actions.push(...statusActions(mirror, statusFromReal(mirror, real, now)));
  return { actions };
}

/** Someone else's Pod has the name: never touch it; stay Pending and say why (the event once, on the change). */
function planConflict(mirror: Pod, real: RealPod, now: string): Plan {
  const { namespace = "", name = "" } = mirror.metadata;
  const message = Messages.conflict(namespace, name, describeController(real));
  const current = findCondition(mirror.status.conditions, REALIZED_CONDITION);
  const known = current?.reason === Reasons.conflict && current.message === message;
  const event: Action[] = known ? [] : [{ kind: "event", type: "Warning", reason: Reasons.conflict, message }];
  return { actions: [...event, ...statusActions(mirror, notRealizedStatus(mirror, Reasons.conflict, message, now))] };
}

/** Failed is terminal: status first (so controllers replace the pod at once), then the real Pod goes. */
function fail(mirror: Pod, owned: RealPod | undefined, reason: string, message: string, now: string): Plan {
  const actions: Action[] = [
    ...statusActions(mirror, failedStatus(mirror, reason, message, now)),
    { kind: "event", type: "Warning", reason, message },
  ];
  if (owned && isActive(owned)) actions.push(deleteReal(owned, graceSeconds(mirror.metadata, mirror.spec.terminationGracePeriodSeconds)));
  return { actions };
}

/**
 * Succeeded or Failed: the status stays as it is. A real Pod still running
 * (its mirror was failed for a lost node, or by hand) is deleted, as the
 * taint manager evicts the pods of a lost node, so it cannot come back.
 */
function planFinished(mirror: Pod, owned: RealPod | undefined): Plan {
  const actions: Action[] = owned ? finalizerActions(mirror) : [];
  if (owned && isActive(owned)) actions.push(deleteReal(owned, graceSeconds(mirror.metadata, mirror.spec.terminationGracePeriodSeconds)));
  actions.push(...statusActions(mirror, currentStatus(mirror)));
  return { actions };
}

/** Deleted: the status follows the real Pod's termination; the finalizer goes once the real Pod is gone. */
function planTermination(mirror: Pod, owned: RealPod | undefined, now: string): Plan {
  const status = owned && !isTerminal(mirror.status.phase) ? statusFromReal(mirror, owned, now) : currentStatus(mirror);
  const release = releaseActions(mirror, mirror.spec.terminationGracePeriodSeconds, owned);
  // Not worth a write when the finalizer goes and the object with it.
  const finishing = release.some((a) => a.kind === "removeFinalizer");
  return { actions: [...(finishing ? [] : statusActions(mirror, status)), ...release] };
}

function releaseActions(mirror: MirrorPodObject | Pod, terminationGraceSeconds: number, real: RealPod | undefined): Action[] {
  const meta = mirror.metadata ?? {};
  const owned = ownedReal(real, meta.uid);
  if (owned) return owned.metadata?.deletionTimestamp ? [] : [deleteReal(owned, graceSeconds(meta, terminationGraceSeconds))];
  return meta.finalizers?.includes(REALIZER_FINALIZER) ? [{ kind: "removeFinalizer" }] : [];
}

/**
 * The real Pod's grace period. The API server never gives a custom resource a
 * graceful deletion (deletionGracePeriodSeconds is 0 whatever the client
 * asked), so the pod's own terminationGracePeriodSeconds is what applies, as
 * for a built-in Pod deleted without a grace period. A positive deletion
 * grace period, should one ever arrive, is honoured.
 */
function graceSeconds(meta: { deletionGracePeriodSeconds?: number | undefined }, terminationGraceSeconds: number): number {
  const requested = meta.deletionGracePeriodSeconds;
  return requested !== undefined && requested > 0 ? requested : terminationGraceSeconds;
}

function deleteReal(real: RealPod, gracePeriodSeconds: number): Action {
  return { kind: "deleteRealPod", uid: real.metadata?.uid ?? "", gracePeriodSeconds };
}

function finalizerActions(mirror: Pod): Action[] {
  return mirror.metadata.finalizers?.includes(REALIZER_FINALIZER) ? [] : [{ kind: "addFinalizer" }];
}

function statusActions(mirror: Pod, next: PodStatus): Action[] {
  if (!statusChanged(mirror.status, next)) return [];
  const display = { ready: next.ready, restarts: next.restarts, display: next.display };
  // A merge patch of the display columns alone never conflicts with, nor
  // undoes, what another writer (the scheduler) put in the status meanwhile.
  if (!statusChanged({ ...mirror.status, ...display }, next)) return [{ kind: "patchDisplay", display }];
  return [{ kind: "writeStatus", status: next }];
}

function isTerminal(phase: string | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

function isActive(real: RealPod): boolean {
  return !isTerminal(real.status?.phase) && !real.metadata?.deletionTimestamp;
}

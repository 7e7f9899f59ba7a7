// Performing a plan's actions against the API server. Each write carries
// the resourceVersion the plan saw (or the one our own previous write in
// this reconcile returned), so a stale cache ends in a conflict and a retry,
// never in overwriting someone else's change.
import type { Deployment, DeploymentStatus, ReplicaSet } from "../../api/index.ts";
import { isAlreadyExists, isNotFound } from "../../runtime/client/index.ts";
import type { DeleteOptions, KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import { getControllerOf } from "../common/index.ts";
import { isNamespaceTerminating } from "../replicaset/pod-control.ts";
import type { DeploymentAction, DeploymentPlan, ReplicaSetRef } from "./actions.ts";
import type { PlannedEvent } from "./events.ts";
import { onReplicaSetCreateError, withCollision } from "./sync.ts";
import { equalIgnoreHash } from "./util/replica-sets.ts";

export interface EventSink {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

/** The writes a plan needs. */
export interface PlanWriters {
  deployments: {
    patch(key: ObjectKey, patch: Patch): Promise<KubeObject>;
    updateStatus(obj: KubeObject & { status?: unknown }): Promise<KubeObject>;
  };
  replicaSets: {
    create(obj: KubeObject): Promise<KubeObject>;
    patch(key: ObjectKey, patch: Patch): Promise<KubeObject>;
    delete(key: ObjectKey, options?: DeleteOptions): Promise<unknown>;
  };
  /** A ReplicaSet by name, from the cache or the API server: who holds a name the create found taken. */
  getReplicaSet(namespace: string, name: string): Promise<ReplicaSet | undefined>;
  events: EventSink;
}

export interface PlanTarget {
  /** The Deployment as cached (raw, so a status PUT sends back what was read). */
  raw: KubeObject;
  /** The same, parsed. */
  deployment: Deployment;
  now: Date;
}

/**
 * Performs the plan: its events, its actions in order, then its status.
 * Throws the first failed action's error after writing what upstream would
 * have written by then; returns false when a create found the new
 * ReplicaSet already there (the cache is behind: its add event brings the
 * Deployment back, and planning again is all there is to do).
 */
export async function executePlan(plan: DeploymentPlan, target: PlanTarget, w: PlanWriters): Promise<boolean> {
  const { raw, deployment: d } = target;
  const namespace = d.metadata.namespace ?? "";
  const name = d.metadata.name ?? "";
  const record = (events: readonly PlannedEvent[]) => {
    for (const e of events) w.events.event(raw, e.type, e.reason, e.message);
  };
  record(plan.events);

  let deploymentVersion = d.metadata.resourceVersion;
  const rsVersions = new Map<string, string | undefined>();
  const versionOf = (ref: ReplicaSetRef) => (rsVersions.has(ref.name) ? rsVersions.get(ref.name) : ref.resourceVersion);
  const writeStatus = async (status: DeploymentStatus) => {
    await w.deployments.updateStatus({ ...raw, metadata: { ...raw.metadata, resourceVersion: deploymentVersion }, status });
  };

  for (const action of plan.actions) {
    try {
      switch (action.type) {
        case "createReplicaSet": {
          const outcome = await createReplicaSet(action.replicaSet, target, w, writeStatus);
          if (outcome === "exists") return false;
          break;
        }
        case "scaleReplicaSet":
        case "updateReplicaSetAnnotations": {
          const spec = action.type === "scaleReplicaSet" ? { replicas: action.to } : action.minReadySeconds !== undefined ? { minReadySeconds: action.minReadySeconds } : undefined;
          const patch = { metadata: { uid: action.target.uid, resourceVersion: versionOf(action.target), annotations: action.annotations }, ...(spec && { spec }) };
          const written = await w.replicaSets.patch({ namespace, name: action.target.name }, { type: "merge", patch });
          rsVersions.set(action.target.name, written.metadata?.resourceVersion);
          break;
        }
        case "deleteReplicaSet":
          try {
            await w.replicaSets.delete({ namespace, name: action.target.name }, { preconditions: { uid: action.target.uid } });
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
          break;
        case "setDeploymentRevision": {
          const patch = { metadata: { resourceVersion: deploymentVersion, annotations: { "deployment.kubernetes.io/revision": action.revision } } };
          deploymentVersion = (await w.deployments.patch({ namespace, name }, { type: "merge", patch })).metadata?.resourceVersion;
          break;
        }
        case "updateDeployment":
          deploymentVersion = (await w.deployments.patch({ namespace, name }, rollbackPatch(action, deploymentVersion))).metadata?.resourceVersion;
          break;
      }
    } catch (err) {
      // What was planned before the failure is written, as upstream writes
      // status as it goes; the status does not depend on the failed write.
      if (plan.statusChanged && action.type !== "createReplicaSet") await writeStatus(plan.status).catch(() => undefined);
      throw err;
    }
    if ("events" in action) record(action.events);
  }
  if (plan.statusChanged) await writeStatus(plan.status);
  return true;
}

/** The Deployment's new annotations and, on a rollback, its template: exactly, so removed keys go too. */
function rollbackPatch(action: Extract<DeploymentAction, { type: "updateDeployment" }>, resourceVersion: string | undefined): Patch {
  return {
    type: "json",
    patch: [
      { op: "test", path: "/metadata/resourceVersion", value: resourceVersion },
      { op: "add", path: "/metadata/annotations", value: action.annotations },
      ...(action.template ? [{ op: "replace" as const, path: "/spec/template", value: action.template }] : []),
    ],
  };
}

/**
 * Creates the new ReplicaSet (upstream getNewReplicaSet's create and its
 * error paths): a name already taken by our own ReplicaSet with this
 * template is a cache behind ("exists"); taken by another is a hash
 * collision, counted in status so the next name differs; any other failure
 * is reported in the Progressing condition and a warning.
 */
async function createReplicaSet(rs: ReplicaSet, target: PlanTarget, w: PlanWriters, writeStatus: (s: DeploymentStatus) => Promise<void>): Promise<"created" | "exists"> {
  const d = target.deployment;
  const rsName = rs.metadata.name ?? "";
  try {
    // The API type's metadata allows a null timestamp where the wire type has none; the JSON is the same.
    await w.replicaSets.create(rs as unknown as KubeObject);
    return "created";
  } catch (err) {
    if (isAlreadyExists(err)) {
      const existing = await w.getReplicaSet(d.metadata.namespace ?? "", rsName);
      if (!existing) throw err;
      if (getControllerOf(existing)?.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, existing.spec.template)) return "exists";
      await writeStatus(withCollision(d.status ?? {}));
      throw err;
    }
    // The namespace is going away: every create would fail, and nobody needs the pods.
    if (isNamespaceTerminating(err)) throw err;
    const { status, event } = onReplicaSetCreateError(d, d.status ?? {}, rsName, (err as Error).message, target.now);
    await writeStatus(status).catch(() => undefined);
    w.events.event(target.raw, event.type, event.reason, event.message);
    throw err;
  }
}

import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from "../../api/index.ts";
import type { DeploymentAction, ReplicaSetRef } from "./actions.ts";
import { scaledEvent, type PlannedEvent } from "./events.ts";
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from "./util/annotations.ts";
import { REVISION_ANNOTATION } from "./util/constants.ts";
import { maxSurge } from "./util/fenceposts.ts";
import { formatTime } from "../common/index.ts";

/**
 * The working state of one plan. Upstream's sync functions write through a
 * client as they go and read their own writes back from the returned
 * objects; here each write becomes an action, and the object it would have
 * produced replaces the old one in the working state, so the functions can
 * keep upstream's shape while staying free of effects.
 */
export class PlanContext {
  /** The Deployment as this plan has changed it: annotations and status. */
  d: Deployment;
  /** The Deployment's ReplicaSets as this plan has changed them. */
  rsList: ReplicaSet[];
  readonly actions: DeploymentAction[] = [];
  readonly events: PlannedEvent[] = [];
  requeueAfterMs: number | undefined;
  readonly nowTime: string;

  constructor(
    readonly original: Deployment,
    replicaSets: readonly ReplicaSet[],
    readonly pods: readonly Pod[],
    readonly now: Date,
  ) {
    this.d = structuredClone(original);
    this.rsList = [...replicaSets];
    this.nowTime = formatTime(now);
  }

  get status(): DeploymentStatus {
    return this.d.status ?? {};
  }

  set status(status: DeploymentStatus) {
    this.d = { ...this.d, status };
  }

  event(e: PlannedEvent): void {
    this.events.push(e);
  }

  /** Replaces a ReplicaSet (by name) with the version a planned write produces. */
  replace(rs: ReplicaSet): void {
    const i = this.rsList.findIndex((r) => r.metadata.name === rs.metadata.name);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
  }

  remove(rs: ReplicaSet): void {
    this.rsList = this.rsList.filter((r) => r.metadata.name !== rs.metadata.name);
  }

  /**
   * Scales a ReplicaSet and rewrites its desired/max-replicas annotations
   * (upstream scaleReplicaSet): a write when either is stale, an event
   * only when the size changes. Returns the ReplicaSet as written.
   */
  scaleReplicaSet(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    const replicas = this.d.spec.replicas;
    const max = replicas + maxSurge(this.d);
    const sizeNeedsUpdate = rs.spec.replicas !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicas, max)) return { scaled: false, rs };
    const { annotations } = setReplicasAnnotations(rs.metadata.annotations, replicas, max);
    const updated: ReplicaSet = { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: newScale } };
    const name = rs.metadata.name ?? "";
    this.actions.push({
      type: "scaleReplicaSet",
      target: refOf(rs),
      from: rs.spec.replicas,
      to: newScale,
      annotations: pick(annotations, Object.keys(annotations).filter((k) => annotations[k] !== rs.metadata.annotations?.[k])),
      events: sizeNeedsUpdate ? [scaledEvent(name, rs.spec.replicas, newScale)] : [],
    });
    this.replace(updated);
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /** scaleReplicaSet, skipped entirely when the size is already right (upstream scaleReplicaSetAndRecordEvent). */
  scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): { scaled: boolean; rs: ReplicaSet } {
    if (rs.spec.replicas === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale);
  }

  /** Copies the revision onto the Deployment (upstream SetDeploymentRevision); true if it changed. */
  setDeploymentRevision(revision: string): boolean {
    if (this.d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return false;
    this.d = { ...this.d, metadata: { ...this.d.metadata, annotations: { ...this.d.metadata.annotations, [REVISION_ANNOTATION]: revision } } };
    this.actions.push({ type: "setDeploymentRevision", revision });
    return true;
  }
}

export function refOf(rs: ReplicaSet): ReplicaSetRef {
  return { name: rs.metadata.name ?? "", uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion };
}

function pick(obj: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, obj[k] ?? ""]));
}

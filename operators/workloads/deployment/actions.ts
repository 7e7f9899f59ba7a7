import type { DeploymentStatus, PodTemplateSpec, ReplicaSet } from "../../api/index.ts";
import type { PlannedEvent } from "./events.ts";

// What one reconcile of a Deployment decided to do. The planner decides;
// the controller performs the actions in order, stopping at the first
// failure, and records each action's events once it succeeded (upstream
// records a scaling event only after the write went through).

/** Where a ReplicaSet was when planned: writes carry its resourceVersion, so a stale cache conflicts instead of overwriting. */
export interface ReplicaSetRef {
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export type DeploymentAction =
  /** POST the new ReplicaSet (deterministic name: a retry finds AlreadyExists). */
  | { type: "createReplicaSet"; replicaSet: ReplicaSet; events: PlannedEvent[] }
  /** Set spec.replicas and the desired/max-replicas annotations (upstream scaleReplicaSet); from === to when only the annotations are stale. */
  | { type: "scaleReplicaSet"; target: ReplicaSetRef; from: number; to: number; annotations: Record<string, string>; events: PlannedEvent[] }
  /** Bring the new ReplicaSet's annotations (revision, copied ones) and minReadySeconds in line with the Deployment. */
  | { type: "updateReplicaSetAnnotations"; target: ReplicaSetRef; annotations: Record<string, string>; minReadySeconds?: number }
  /** History cleanup. */
  | { type: "deleteReplicaSet"; target: ReplicaSetRef }
  /** Record the new ReplicaSet's revision on the Deployment (metadata: the status subresource ignores it for a custom resource). */
  | { type: "setDeploymentRevision"; revision: string }
  /**
   * Rewrite the Deployment's annotations and, on a rollback, its template
   * (upstream updateDeploymentAndClearRollbackTo).
   */
  | { type: "updateDeployment"; resourceVersion?: string; annotations: Record<string, string>; template?: PodTemplateSpec; events: PlannedEvent[] };

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** The status to write after the actions (through the status subresource). */
  status: DeploymentStatus;
  /** Whether `status` differs from the Deployment's current status. */
  statusChanged: boolean;
  /** Events to record whatever the actions' outcome (warnings about the Deployment itself). */
  events: PlannedEvent[];
  /** Reconcile again after this long even if nothing changes: when the progress deadline could pass. */
  requeueAfterMs?: number;
}

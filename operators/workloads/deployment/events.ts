import {
  FAILED_RS_CREATE_REASON,
  ROLLBACK_DONE_REASON,
  ROLLBACK_REVISION_NOT_FOUND_REASON,
  ROLLBACK_TEMPLATE_UNCHANGED_REASON,
  SCALING_REPLICA_SET_REASON,
  SELECTING_ALL_REASON,
} from "./util/constants.ts";

// The events the deployment controller records on a Deployment, with
// upstream's reasons and messages (kube-controller-manager 1.34).

export interface PlannedEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** Go's %q for the names and messages these events quote. */
const q = (s: string) => JSON.stringify(s);

export function scaledEvent(name: string, from: number, to: number): PlannedEvent {
  return { type: "Normal", reason: SCALING_REPLICA_SET_REASON, message: `Scaled ${from < to ? "up" : "down"} replica set ${name} from ${from} to ${to}` };
}

export function selectingAllEvent(): PlannedEvent {
  return { type: "Warning", reason: SELECTING_ALL_REASON, message: "This deployment is selecting all pods. A non-empty selector is required." };
}

export function rollbackDoneEvent(deployment: string, revision: number): PlannedEvent {
  return { type: "Normal", reason: ROLLBACK_DONE_REASON, message: `Rolled back deployment ${q(deployment)} to revision ${revision}` };
}

export function rollbackNoLastRevisionEvent(): PlannedEvent {
  return { type: "Warning", reason: ROLLBACK_REVISION_NOT_FOUND_REASON, message: "Unable to find last revision." };
}

export function rollbackRevisionNotFoundEvent(): PlannedEvent {
  return { type: "Warning", reason: ROLLBACK_REVISION_NOT_FOUND_REASON, message: "Unable to find the revision to rollback to." };
}

export function rollbackTemplateUnchangedEvent(deployment: string): PlannedEvent {
  return { type: "Warning", reason: ROLLBACK_TEMPLATE_UNCHANGED_REASON, message: `The rollback revision contains the same template as current deployment ${q(deployment)}` };
}

export function replicaSetCreateErrorMessage(name: string, err: string): string {
  return `Failed to create new replica set ${q(name)}: ${err}`;
}

export function replicaSetCreateErrorEvent(name: string, err: string): PlannedEvent {
  return { type: "Warning", reason: FAILED_RS_CREATE_REASON, message: replicaSetCreateErrorMessage(name, err) };
}

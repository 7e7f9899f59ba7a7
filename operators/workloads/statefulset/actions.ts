// What one sync of a StatefulSet decided to do to its pods and claims.
// The planner decides from the caches; the pod control performs the
// actions and records upstream's events (stateful_pod_control.go).
import type { Pod, Volume } from "../../api/index.ts";
import type { OwnerReference } from "../../runtime/client/index.ts";
import type { NewPod } from "../common/index.ts";
import type { NewClaim } from "./claims.ts";
import type { ReplicaCounts } from "./status.ts";

/** New owner references for an existing claim (retention policy), guarded by its uid and resourceVersion. */
export interface ClaimOwnerUpdate {
  name: string;
  uid?: string;
  resourceVersion?: string;
  ownerReferences: OwnerReference[];
  /** Another controller manages the claim: the policy is not applied, and upstream warns (ConflictingController). */
  conflicting: boolean;
}

/**
 * The claims a pod needs before it runs: those to create (absent from the
 * cache), one being deleted that blocks it, and owner references to set on
 * the others.
 */
export interface ClaimWork {
  create: NewClaim[];
  /** A claim of the pod is being deleted: it may not be mounted (upstream "pvc %s is being deleted"). */
  terminating?: string;
  owners: ClaimOwnerUpdate[];
}

export type PodAction =
  /** Upstream CreateStatefulPod: the claims first, then the pod. */
  | { type: "createPod"; pod: NewPod; claims: ClaimWork }
  /** Upstream createMissingPersistentVolumeClaims, for a pod still Pending. */
  | { type: "createMissingClaims"; pod: Pod; claims: ClaimWork }
  /** Upstream UpdateStatefulPod: restore identity labels and claim volumes, and claim ownership. */
  | { type: "updatePod"; pod: Pod; labels?: Record<string, string>; volumes?: Volume[]; claims: ClaimWork }
  /** Upstream UpdatePodClaimForRetentionPolicy, for a condemned pod before it goes. */
  | { type: "updateClaimOwners"; pod: Pod; owners: ClaimOwnerUpdate[] }
  /** Upstream DeleteStatefulPod: a finished pod (to recreate it), a condemned one, or one to update. */
  | { type: "deletePod"; pod: Pod; cause: "finished" | "condemned" | "update" };

/** The actions for one pod, performed in order; the first failure ends the step. */
export interface PodStep {
  pod: string;
  actions: PodAction[];
}

export interface StatefulSetPlan {
  /** OrderedReady: steps one after another. Parallel: each phase's steps in slow-start batches. */
  monotonic: boolean;
  /** Replicas, condemned claims, condemned pods, update: a failed phase ends the sync. */
  phases: PodStep[][];
  /** The counts status reports, as the caches show the pods (pods planned for creation are not counted). */
  counts: ReplicaCounts;
  /** Why an OrderedReady sync stopped early, for the log. */
  halted?: string;
}

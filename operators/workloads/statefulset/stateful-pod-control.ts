// Performing a plan's pod and claim actions, with the events upstream's
// StatefulPodControl records on the StatefulSet (stateful_pod_control.go).
// Writes carry the uid (and, for updates, the resourceVersion) the plan saw:
// a stale cache ends in a conflict and a quiet retry, never in deleting or
// overwriting a newer object of the same name.
import { isAlreadyExists, isConflict, isNotFound } from "../../runtime/client/index.ts";
import type { DeleteOptions, KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { EventType } from "../../runtime/events/event.ts";
import type { NewPod } from "../common/index.ts";
import type { ClaimOwnerUpdate, ClaimWork, PodAction } from "./actions.ts";
import type { NewClaim } from "./claims.ts";
import { Reasons } from "./names.ts";

export interface EventSink {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export interface PodClient {
  create(pod: NewPod): Promise<KubeObject>;
  patch(key: ObjectKey, patch: Patch): Promise<unknown>;
  delete(key: ObjectKey, options?: DeleteOptions): Promise<unknown>;
}

export interface ClaimClient {
  create(claim: NewClaim): Promise<KubeObject>;
  patch(key: ObjectKey, patch: Patch): Promise<unknown>;
}

type Verb = "create" | "update" | "delete";

const title = (verb: Verb) => verb.charAt(0).toUpperCase() + verb.slice(1);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Go's utilerrors.NewAggregate(...).Error(): one message as it is, several in brackets. */
function aggregate(messages: string[]): Error | undefined {
  if (messages.length === 0) return undefined;
  return new Error(messages.length === 1 ? (messages[0] ?? "") : `[${messages.join(", ")}]`);
}

export class StatefulPodControl {
  constructor(
    private readonly pods: PodClient,
    private readonly claims: ClaimClient,
    private readonly events: EventSink,
  ) {}

  /** Performs one action on behalf of `set` (the StatefulSet as events name it); throws what ends its step. */
  async perform(set: KubeObject, action: PodAction): Promise<void> {
    switch (action.type) {
      case "createPod":
        return this.createPod(set, action.pod, action.claims);
      case "createMissingClaims":
        await this.ensureClaims(set, action.pod.metadata.name ?? "", action.claims);
        return this.withPodEvent(set, action.pod.metadata.name ?? "", "update", { onSuccess: false }, () => this.updateOwners(set, action.claims.owners));
      case "updatePod":
        return this.withPodEvent(set, action.pod.metadata.name ?? "", "update", { onSuccess: true }, async () => {
          await this.ensureClaims(set, action.pod.metadata.name ?? "", action.claims);
          await this.updateOwners(set, action.claims.owners);
          const { metadata } = action.pod;
          if (!action.labels && !action.volumes) return;
          const patch = { metadata: { uid: metadata.uid, resourceVersion: metadata.resourceVersion, ...(action.labels && { labels: action.labels }) }, ...(action.volumes && { spec: { volumes: action.volumes } }) };
          await this.pods.patch({ namespace: metadata.namespace, name: metadata.name ?? "" }, { type: "merge", patch });
        });
      case "updateClaimOwners":
        return this.updateOwners(set, action.owners);
      case "deletePod":
        return this.deletePod(set, action.pod.metadata.namespace ?? "", action.pod.metadata.name ?? "", action.pod.metadata.uid);
    }
  }

  /**
   * Upstream CreateStatefulPod: the claims, then the pod, then the claims'
   * owners. A name already taken is not reported (upstream sinks
   * AlreadyExists events); the error still ends the step.
   */
  private async createPod(set: KubeObject, pod: NewPod, claims: ClaimWork): Promise<void> {
    const podName = pod.metadata?.name ?? "";
    try {
      await this.ensureClaims(set, podName, claims);
      await this.pods.create(pod);
    } catch (err) {
      if (!isAlreadyExists(err)) this.podEvent(set, podName, "create", err);
      throw err;
    }
    await this.withPodEvent(set, podName, "update", { onSuccess: false }, () => this.updateOwners(set, claims.owners));
    this.podEvent(set, podName, "create");
  }

  /**
   * Upstream createPersistentVolumeClaims: creates the missing claims, each
   * with its event; fails (after trying all) if one could not be created or
   * one is being deleted. A claim found already there is what was wanted:
   * the cache was behind. The pod's failure event is the caller's.
   */
  private async ensureClaims(set: KubeObject, podName: string, work: ClaimWork): Promise<void> {
    const failures: string[] = [];
    for (const claim of work.create) {
      const name = claim.metadata?.name ?? "";
      try {
        await this.claims.create(claim);
        this.claimEvent(set, podName, name);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        failures.push(`failed to create PVC ${name}: ${messageOf(err)}`);
        this.claimEvent(set, podName, name, err);
      }
    }
    if (work.terminating) failures.push(`pvc ${work.terminating} is being deleted`);
    const err = aggregate(failures);
    if (err) throw err;
  }

  /** Upstream UpdatePodClaimForRetentionPolicy: sets each claim's owner references, guarded by its uid and resourceVersion. */
  private async updateOwners(set: KubeObject, owners: readonly ClaimOwnerUpdate[]): Promise<void> {
    for (const o of owners) {
      if (o.conflicting) {
        // Upstream's message, typo included.
        this.events.event(set, "Warning", Reasons.ConflictingController, `PersistentVolumeClaim ${o.name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim`);
      }
      const patch = { metadata: { uid: o.uid, resourceVersion: o.resourceVersion, ownerReferences: o.ownerReferences.length > 0 ? o.ownerReferences : null } };
      try {
        await this.claims.patch({ namespace: set.metadata?.namespace, name: o.name }, { type: "merge", patch });
      } catch (err) {
        if (isNotFound(err) || isConflict(err)) throw err;
        throw new Error(`could not update claim ${o.name} for delete policy ownerRefs: ${messageOf(err)}`, { cause: err });
      }
    }
  }

  /**
   * Upstream DeleteStatefulPod, guarded by the pod's uid. A pod already gone
   * is what was wanted; a namesake (uid mismatch, 409) is left alone and the
   * sync retries on a fresher cache.
   */
  private async deletePod(set: KubeObject, namespace: string, name: string, uid: string | undefined): Promise<void> {
    try {
      await this.pods.delete({ namespace, name }, { preconditions: { uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) this.podEvent(set, name, "delete", err);
      throw err;
    }
    this.podEvent(set, name, "delete");
  }

  /** Runs `fn`, recording the pod event for `verb` on failure (a conflict is only retried) and, if asked, on success. */
  private async withPodEvent(set: KubeObject, podName: string, verb: Verb, opts: { onSuccess: boolean }, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!isConflict(err)) this.podEvent(set, podName, verb, err);
      throw err;
    }
    if (opts.onSuccess) this.podEvent(set, podName, verb);
  }

  /** Upstream recordPodEvent. */
  private podEvent(set: KubeObject, podName: string, verb: Verb, err?: unknown): void {
    const setName = set.metadata?.name ?? "";
    if (err === undefined) this.events.event(set, "Normal", `Successful${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
    else this.events.event(set, "Warning", `Failed${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${messageOf(err)}`);
  }

  /** Upstream recordClaimEvent (claims are only created). */
  private claimEvent(set: KubeObject, podName: string, claimName: string, err?: unknown): void {
    const setName = set.metadata?.name ?? "";
    if (err === undefined) this.events.event(set, "Normal", Reasons.SuccessfulCreate, `create Claim ${claimName} Pod ${podName} in StatefulSet ${setName} success`);
    else this.events.event(set, "Warning", Reasons.FailedCreate, `create Claim ${claimName} for Pod ${podName} in StatefulSet ${setName} failed error: ${messageOf(err)}`);
  }
}

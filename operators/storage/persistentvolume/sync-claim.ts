// syncClaim (pkg/controller/volume/persistentvolume/pv_controller.go): what
// to do with a claim, split as upstream into the unbound and the bound case.
// Pure: the view is read, the actions are carried out by effects.ts.
import type { PersistentVolumeClaim } from "../../api/index.ts";
import { claimClass, claimHasClass, claimKey, isDelayBinding, isVolumeBoundToClaim, selectedNode } from "../helpers.ts";
import { findBestMatchForClaim, volumeSatisfiesClaim } from "../matching.ts";
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, Events, Messages, NOT_SUPPORTED_PROVISIONER } from "../names.ts";
import type { Action, BinderView } from "./actions.ts";

export function syncClaim(claim: PersistentVolumeClaim, view: BinderView): Action[] {
  return claim.metadata.annotations?.[ANN_BIND_COMPLETED] === undefined ? syncUnboundClaim(claim, view) : syncBoundClaim(claim, view);
}

function syncUnboundClaim(claim: PersistentVolumeClaim, view: BinderView): Action[] {
  const key = claimKey(claim);
  const pending: Action = { kind: "claimStatus", claim: key, phase: "Pending" };
  const requested = claim.spec.volumeName;
  if (!requested) {
    // The user does not care which PV they get.
    const delayBinding = isDelayBinding(claim, (n) => view.storageClass(n));
    const volume = findBestMatchForClaim(claim, view.volumes(), delayBinding);
    if (volume) return [{ kind: "bind", volume: volume.metadata.name ?? "", claim: key }];
    // No PV: maybe a class (retroactively the default one), then provisioning.
    const fallback = claimHasClass(claim) ? undefined : view.defaultClass();
    if (fallback) return [{ kind: "assignClass", claim: key, className: fallback.metadata.name ?? "" }];
    if (delayBinding && !selectedNode(claim)) return [waitingForConsumer(claim, view), pending];
    if (claimClass(claim) !== "") return provision(claim, view);
    return [{ kind: "claimEvent", claim: key, event: { type: "Normal", reason: Events.failedBinding, message: Messages.noVolumeNoClass } }, pending];
  }
  // The user asked for a specific PV.
  const volume = view.volume(requested);
  if (!volume) return [pending]; // Not there (yet): retried on the next sync.
  if (!volume.spec.claimRef) {
    const mismatch = volumeSatisfiesClaim(volume, claim);
    if (mismatch) {
      return [{ kind: "claimEvent", claim: key, event: { type: "Warning", reason: Events.volumeMismatch, message: Messages.requestedVolumeMismatch(requested, mismatch) } }, pending];
    }
    return [{ kind: "bind", volume: requested, claim: key }];
  }
  if (isVolumeBoundToClaim(volume, claim)) return [{ kind: "bind", volume: requested, claim: key }];
  const taken: Action = { kind: "claimEvent", claim: key, event: { type: "Warning", reason: Events.failedBinding, message: Messages.alreadyBoundElsewhere(requested) } };
  // Bound by the controller to another claim: someone removed bind-completed; upstream errors and retries.
  if (claim.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] !== undefined) {
    return [taken, { kind: "fail", message: `invalid binding of claim "${key}" to volume "${requested}": volume already claimed by "${volume.spec.claimRef.namespace ?? ""}/${volume.spec.claimRef.name ?? ""}"` }];
  }
  return [taken, pending];
}

function syncBoundClaim(claim: PersistentVolumeClaim, view: BinderView): Action[] {
  const key = claimKey(claim);
  const lost = (reason: string, message: string): Action[] => [{ kind: "claimStatus", claim: key, phase: "Lost", event: { type: "Warning", reason, message } }];
  const name = claim.spec.volumeName;
  if (!name) return lost(Events.claimLost, Messages.claimLostReference);
  const volume = view.volume(name);
  if (!volume) return lost(Events.claimLost, Messages.claimLostVolume);
  const ref = volume.spec.claimRef;
  // Unbound volume (or the PV write not seen yet), or all well: (re)bind, which writes only what is missing.
  if (!ref || ref.uid === claim.metadata.uid) return [{ kind: "bind", volume: name, claim: key }];
  return lost(Events.claimMisbound, Messages.claimMisbound);
}

/** emitEventForUnboundDelayBindingClaim. */
function waitingForConsumer(claim: PersistentVolumeClaim, view: BinderView): Action {
  const pods = view.unscheduledPodsUsing(claimKey(claim));
  const event =
    pods.length > 0
      ? { type: "Normal" as const, reason: Events.waitForPodScheduled, message: Messages.waitForPod(pods) }
      : { type: "Normal" as const, reason: Events.waitForFirstConsumer, message: Messages.waitForFirstConsumer };
  return { kind: "claimEvent", claim: claimKey(claim), event };
}

/**
 * provisionClaim for an external provisioner (every provisioner is external
 * to the binder, mirrorkube.dev/hostpath included): annotate the claim and
 * say who is expected to act. The status is left as it is.
 */
function provision(claim: PersistentVolumeClaim, view: BinderView): Action[] {
  const key = claimKey(claim);
  const name = claimClass(claim);
  const cls = view.storageClass(name);
  const failed = (message: string): Action[] => [{ kind: "claimEvent", claim: key, event: { type: "Warning", reason: Events.provisioningFailed, message } }];
  if (!cls) return failed(Messages.classNotFound(name));
  // In-tree plugin names: none is built into mirrorkube, and no-provisioner never provisions.
  if (cls.provisioner === NOT_SUPPORTED_PROVISIONER || cls.provisioner.startsWith("kubernetes.io/")) return failed(Messages.noProvisionerPlugin(cls.provisioner));
  return [
    { kind: "setProvisioner", claim: key, provisioner: cls.provisioner },
    { kind: "claimEvent", claim: key, event: { type: "Normal", reason: Events.externalProvisioning, message: Messages.externalProvisioning(cls.provisioner) } },
  ];
}

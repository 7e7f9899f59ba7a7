// syncVolume (pkg/controller/volume/persistentvolume/pv_controller.go): what
// to do with a volume, and reclaimVolume once its claim is gone. Pure.
import type { PersistentVolume } from "../../api/index.ts";
import { volumeModeMismatch } from "../helpers.ts";
import { ANN_PROVISIONED_BY, Events, Messages } from "../names.ts";
import type { Action, BinderView } from "./actions.ts";

export function syncVolume(volume: PersistentVolume, view: BinderView): Action[] {
  const name = volume.metadata.name ?? "";
  const ref = volume.spec.claimRef;
  // Unused, or pre-bound by the user to a claim that has not bound yet (the claim's sync does that).
  if (!ref || !ref.uid) return [{ kind: "volumePhase", volume: name, phase: "Available" }];

  const claimKey = `${ref.namespace ?? ""}/${ref.name ?? ""}`;
  const found = view.claim(claimKey);
  // A claim of the same name but another UID is a new claim: the bound one was deleted.
  const claim = found && found.metadata.uid === ref.uid ? found : undefined;
  if (!claim) return released(volume);
  if (!claim.spec.volumeName) {
    if (volumeModeMismatch(claim, volume)) {
      // syncUnboundClaim will never pick this volume: say so on both sides.
      return [
        { kind: "volumeEvent", volume: name, event: { type: "Warning", reason: Events.volumeMismatch, message: Messages.volumeModeMismatchOnVolume(claim.metadata.name ?? "") } },
        { kind: "claimEvent", claim: claimKey, event: { type: "Warning", reason: Events.volumeMismatch, message: Messages.volumeModeMismatchOnClaim(name) } },
      ];
    }
    // Bound (by us, or by a provisioner or the scheduler) and the claim not yet: the claim's sync finishes it.
    return [{ kind: "enqueueClaim", claim: claimKey }];
  }
  if (claim.spec.volumeName === name) return [{ kind: "volumePhase", volume: name, phase: "Bound" }];
  // The claim is bound to another volume.
  if (volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined && volume.spec.persistentVolumeReclaimPolicy === "Delete") {
    // Provisioned for this claim, which got bound elsewhere: not needed.
    return released(volume);
  }
  // Bound by us in a race the claim settled otherwise, or pre-bound by the user: roll back (the user's pointer stays).
  return [{ kind: "unbindVolume", volume: name }];
}

/** The claim is gone: Released (unless already Released or Failed), then the reclaim policy. */
function released(volume: PersistentVolume): Action[] {
  const name = volume.metadata.name ?? "";
  const actions: Action[] = [];
  if (volume.status.phase !== "Released" && volume.status.phase !== "Failed") {
    // confirmClaimGone: the cache may be behind a claim just created for this volume; upstream asks the API server.
    actions.push({ kind: "volumePhase", volume: name, phase: "Released", confirmClaimGone: true });
  }
  return [...actions, ...reclaim(volume)];
}

function reclaim(volume: PersistentVolume): Action[] {
  const name = volume.metadata.name ?? "";
  const failed = (reason: string, message: string): Action[] => [{ kind: "volumePhase", volume: name, phase: "Failed", event: { type: "Warning", reason, message } }];
  switch (volume.spec.persistentVolumeReclaimPolicy) {
    case "Retain":
      return [];
    case "Recycle":
      return failed(Events.volumeFailedRecycle, Messages.noRecycler(name));
    case "Delete":
      // A provisioner's volume is its provisioner's to delete (mirrorkube.dev/hostpath deletes its own).
      if (volume.metadata.annotations?.[ANN_PROVISIONED_BY] !== undefined) return [];
      return failed(Events.volumeFailedDelete, Messages.noDeleter(name));
    default:
      return failed(Events.volumeUnknownReclaimPolicy, Messages.unknownReclaimPolicy);
  }
}

// Upstream's small storage helpers (component-helpers/storage/volume
// pv_helpers.go and helpers.go, pkg/apis/core/v1/helper): the questions
// binding, provisioning and scheduling all ask of a PV, a PVC and a class.
import type { AccessMode, PersistentVolume, PersistentVolumeClaim, StorageClass } from "../api/index.ts";
import { Quantity, tryParseQuantity } from "../common/quantity.ts";
import { NodeSelectorMatcher, type NodeFacts } from "../scheduler/framework/selectors.ts";
import { ANN_BETA_DEFAULT_CLASS, ANN_BETA_STORAGE_CLASS, ANN_BIND_COMPLETED, ANN_DEFAULT_CLASS, ANN_SELECTED_NODE } from "./names.ts";

export type { NodeFacts };

/** "namespace/name", how claims are keyed in caches and events. */
export function claimKey(claim: { metadata: { namespace?: string | undefined; name?: string | undefined } }): string {
  return `${claim.metadata.namespace ?? ""}/${claim.metadata.name ?? ""}`;
}

/** GetPersistentVolumeClaimClass: the beta annotation wins, then storageClassName; "" when neither. */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? claim.spec.storageClassName ?? "";
}

/** PersistentVolumeClaimHasClass: a class was asked for, even "" (which means "no class"). */
export function claimHasClass(claim: PersistentVolumeClaim): boolean {
  return claim.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] !== undefined || claim.spec.storageClassName !== undefined;
}

/** GetPersistentVolumeClass. */
export function volumeClass(volume: PersistentVolume): string {
  return volume.metadata.annotations?.[ANN_BETA_STORAGE_CLASS] ?? volume.spec.storageClassName ?? "";
}

/** The claim's storage request; zero when it cannot be read (validation requires one). */
export function requestedStorage(claim: PersistentVolumeClaim): Quantity {
  return tryParseQuantity(claim.spec.resources.requests?.storage) ?? Quantity.zero();
}

/** The volume's storage capacity, or undefined when it has none. */
export function volumeCapacity(volume: PersistentVolume): Quantity | undefined {
  return tryParseQuantity(volume.spec.capacity?.storage);
}

/** IsVolumeBoundToClaim: claimRef names the claim, and its UID too when set. */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** CheckVolumeModeMismatches (both default to Filesystem). */
export function volumeModeMismatch(claim: PersistentVolumeClaim, volume: PersistentVolume): boolean {
  return (claim.spec.volumeMode ?? "Filesystem") !== (volume.spec.volumeMode ?? "Filesystem");
}

/** ContainsAllAccessModes / CheckAccessModes: the volume offers every mode the claim asks for. */
export function containsAllAccessModes(offered: readonly AccessMode[] | undefined, requested: readonly AccessMode[]): boolean {
  const have = new Set(offered ?? []);
  return requested.every((m) => have.has(m));
}

/** Upstream's PVC "fully bound": a volumeName and the bind-completed annotation. */
export function isClaimFullyBound(claim: PersistentVolumeClaim): boolean {
  return !!claim.spec.volumeName && claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;
}

/** IsDelayBindingProvisioning: the scheduler has chosen a node for the claim's first consumer. */
export function selectedNode(claim: PersistentVolumeClaim): string | undefined {
  return claim.metadata.annotations?.[ANN_SELECTED_NODE];
}

/** IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
export function isDelayBinding(claim: PersistentVolumeClaim, classOf: (name: string) => StorageClass | undefined): boolean {
  const name = claimClass(claim);
  return name !== "" && classOf(name)?.volumeBindingMode === "WaitForFirstConsumer";
}

/** util.GetDefaultClass: of the classes annotated default, the newest (then by name); undefined if none. */
export function defaultClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter((c) => {
    const a = c.metadata.annotations ?? {};
    return a[ANN_DEFAULT_CLASS] === "true" || a[ANN_BETA_DEFAULT_CLASS] === "true";
  });
  defaults.sort((a, b) => {
    const ta = String(a.metadata.creationTimestamp ?? "");
    const tb = String(b.metadata.creationTimestamp ?? "");
    if (ta !== tb) return ta > tb ? -1 : 1;
    return (a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1;
  });
  return defaults[0];
}

/** CheckNodeAffinity: a PV without required node affinity is usable everywhere. */
export function volumeFitsNode(volume: PersistentVolume, node: NodeFacts): boolean {
  const required = volume.spec.nodeAffinity?.required;
  if (!required) return true;
  return new NodeSelectorMatcher(required.nodeSelectorTerms).matches(node);
}

/** MatchTopologySelectorTerms: no terms allow every node; otherwise some term's expressions all match. */
export function classAllowsNode(cls: StorageClass, node: NodeFacts): boolean {
  const terms = cls.allowedTopologies ?? [];
  if (terms.length === 0) return true;
  return terms.some((t) => (t.matchLabelExpressions ?? []).every((e) => Object.hasOwn(node.labels, e.key) && e.values.includes(node.labels[e.key] ?? "")));
}

// Which PV a claim binds to: upstream FindMatchingVolume
// (component-helpers/storage/volume/pv_helpers.go), shared by the binder and
// the scheduler's VolumeBinding, and the binder's access-mode groups
// (pkg/controller/volume/persistentvolume/index.go findByClaim). Pure.
import type { AccessMode, PersistentVolume, PersistentVolumeClaim } from "../api/index.ts";
import { labelSelectorMatches } from "../api/index.ts";
import {
  claimClass,
  containsAllAccessModes,
  isVolumeBoundToClaim,
  requestedStorage,
  volumeCapacity,
  volumeClass,
  volumeFitsNode,
  volumeModeMismatch,
  type NodeFacts,
} from "./helpers.ts";

export interface MatchOptions {
  /** The scheduler's path: the PV's node affinity must admit this node, and access modes are checked here. */
  node?: NodeFacts;
  /** PVs already chosen for the pod's other claims in this scheduling attempt. */
  excluded?: ReadonlySet<string>;
  /** The binder's path for a WaitForFirstConsumer claim: only a PV pre-bound to it is returned. */
  delayBinding?: boolean;
}

/**
 * The PV `claim` should bind to among `volumes`: one pre-bound to it (claimRef
 * names it) and big enough at once; otherwise the smallest Available, unclaimed
 * PV that is big enough, of the same volumeMode and class ("" equals unset),
 * selected by the claim's selector, and not being deleted.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], options: MatchOptions = {}): PersistentVolume | undefined {
  const { node, excluded, delayBinding = false } = options;
  const requested = requestedStorage(claim);
  const requestedClass = claimClass(claim);
  const selector = claim.spec.selector;
  let smallest: PersistentVolume | undefined;
  let smallestSize: ReturnType<typeof volumeCapacity>;

  for (const volume of volumes) {
    if (excluded?.has(volume.metadata.name ?? "")) continue;
    if (volume.spec.claimRef && !isVolumeBoundToClaim(volume, claim)) continue;
    const size = volumeCapacity(volume);
    if (!size || size.cmp(requested) < 0) continue;
    if (volumeModeMismatch(claim, volume)) continue;
    if (volume.metadata.deletionTimestamp) continue;
    const fitsNode = !node || volumeFitsNode(volume, node);

    if (isVolumeBoundToClaim(volume, claim)) {
      // Pre-bound (by the user or an earlier attempt): this PV or none.
      return fitsNode ? volume : undefined;
    }
    // The binder leaves unbound WaitForFirstConsumer claims to the scheduler.
    if (!node && delayBinding) continue;

    if (volume.status.phase !== "Available") continue;
    if (selector && !labelSelectorMatches(selector, volume.metadata.labels ?? {})) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (!fitsNode) continue;
    if (node && !containsAllAccessModes(volume.spec.accessModes, claim.spec.accessModes)) continue;

    if (!smallest || (smallestSize && smallestSize.cmp(size) > 0)) {
      smallest = volume;
      smallestSize = size;
    }
  }
  return smallest;
}

/** Upstream's canonical order of access modes (GetAccessModesAsString). */
const MODE_ORDER: readonly AccessMode[] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

/** A PV's access modes as its index key: deduplicated, in upstream's order. */
export function accessModesKey(modes: readonly AccessMode[] | undefined): string {
  const set = new Set(modes ?? []);
  return MODE_ORDER.filter((m) => set.has(m)).join(",");
}

/**
 * findByClaim: PVs are grouped by their exact set of access modes; the
 * groups whose set contains every mode the claim asks for are searched with
 * the fewest modes first (a RWO claim prefers a [RWO] PV to a [RWO,ROX] one,
 * whatever their sizes), and the first group with a match wins.
 */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, PersistentVolume[]>();
  for (const volume of volumes) {
    const key = accessModesKey(volume.spec.accessModes);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(volume);
  }
  const candidates = [...groups.keys()]
    .map((key) => ({ key, modes: key === "" ? [] : (key.split(",") as AccessMode[]) }))
    .filter((g) => containsAllAccessModes(g.modes, claim.spec.accessModes))
    // Upstream's sort leaves equal-sized groups in map order; the key makes it deterministic.
    .sort((a, b) => a.modes.length - b.modes.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const { key } of candidates) {
    const match = findMatchingVolume(claim, groups.get(key) ?? [], { delayBinding });
    if (match) return match;
  }
  return undefined;
}

/** checkVolumeSatisfyClaim: why a PV a claim names in spec.volumeName cannot be bound to it, or undefined. */
export function volumeSatisfiesClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  if (volume.metadata.deletionTimestamp) return `the volume is marked for deletion "${volume.metadata.name ?? ""}"`;
  const size = volumeCapacity(volume);
  if (!size || size.cmp(requestedStorage(claim)) < 0) return "requested PV is too small";
  if (volumeClass(volume) !== claimClass(claim)) return "storageClassName does not match";
  if (volumeModeMismatch(claim, volume)) return "incompatible volumeMode";
  if (!containsAllAccessModes(volume.spec.accessModes, claim.spec.accessModes)) return "incompatible accessMode";
  return undefined;
}

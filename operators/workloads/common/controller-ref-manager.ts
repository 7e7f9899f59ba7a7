// Claiming (upstream pkg/controller/controller_ref_manager.go): a controller
// adopts the orphans its selector matches and releases the objects it owns
// that stop matching. The decision is pure; the manager applies it.
//
// Custom resources have no strategic merge patch, so adoption and release are
// JSON merge patches that carry the whole ownerReferences list, guarded by the
// object's uid (a recreated namesake is not touched: 422) and resourceVersion
// (a concurrent change to the list is not lost: 409, and the claim retries on
// a fresher cache).
import { isConflict, isInvalid, isNotFound } from "../../runtime/client/index.ts";
import type { KubeObject, OwnerReference, Patch } from "../../runtime/client/index.ts";
import { getControllerOf, newControllerRef } from "./controller-ref.ts";
import type { OwnerKind, OwnerObject } from "./controller-ref.ts";

/** What a claim reads of an object. */
export interface ClaimableObject {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; deletionTimestamp?: string | null; ownerReferences?: OwnerReference[] };
}

/**
 * - owned: ours and matching: claimed, with nothing to do (even while the owner is being deleted).
 * - adopt: an orphan that matches: take it.
 * - release: ours but no longer matching: let it go.
 * - ignore: someone else's, or not ours to touch now.
 */
export type ClaimDecision = "owned" | "adopt" | "release" | "ignore";

/** Upstream claimObject's decision for one object, given whether the owner's selector matches it. */
export function decideClaim(obj: ClaimableObject, owner: OwnerObject, matches: boolean): ClaimDecision {
  const ownerDeleting = !!owner.metadata?.deletionTimestamp;
  const ref = getControllerOf(obj);
  if (ref) {
    if (ref.uid !== owner.metadata?.uid) return "ignore";
    if (matches) return "owned";
    return ownerDeleting ? "ignore" : "release";
  }
  if (ownerDeleting || !matches) return "ignore";
  // An orphan on its way out is left alone: adopting it would only block its deletion.
  if (obj.metadata?.deletionTimestamp) return "ignore";
  return "adopt";
}

/** Guards every claim patch: only this incarnation of the object, only as we saw it. */
function preconditions(obj: ClaimableObject): Record<string, unknown> {
  return { uid: obj.metadata?.uid, resourceVersion: obj.metadata?.resourceVersion };
}

/** The patch that makes `ref` the controller of `obj`, keeping its other owner references. */
export function adoptionPatch(obj: ClaimableObject, ref: OwnerReference): Patch {
  const ownerReferences = [...(obj.metadata?.ownerReferences ?? []), ref];
  return { type: "merge", patch: { metadata: { ...preconditions(obj), ownerReferences } } };
}

/** The patch that removes the owner reference to `ownerUid` from `obj` (null removes the field when none remain). */
export function releasePatch(obj: ClaimableObject, ownerUid: string): Patch {
  const rest = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  return { type: "merge", patch: { metadata: { ...preconditions(obj), ownerReferences: rest.length > 0 ? rest : null } } };
}

export interface ControllerRefManagerOptions<T extends ClaimableObject> {
  owner: OwnerObject;
  ownerKind: OwnerKind;
  /** The kind of the claimed objects, for messages ("Pod", "ReplicaSet"). */
  objectKind: string;
  /** Whether the owner wants `obj`: its selector, and any further filter. */
  matches(obj: T): boolean;
  /**
   * Checked once, before the first adoption of a pass: throws if the owner may
   * not adopt (see recheckDeletionTimestamp). Upstream reads the owner live
   * here, since the cache may not yet show that it is being deleted.
   */
  canAdopt?: () => Promise<void>;
  /** Sends a patch to one object. */
  patch(obj: T, patch: Patch): Promise<unknown>;
}

/** Some claims failed; the others were applied. */
export class ClaimError extends Error {
  override readonly name = "ClaimError";
  constructor(readonly errors: unknown[]) {
    super(errors.map((e) => (e instanceof Error ? e.message : String(e))).join("; "));
  }
}

/**
 * One claim pass for one owner (upstream PodControllerRefManager and its
 * siblings). Create a new one per reconcile: canAdopt runs at most once.
 */
export class ControllerRefManager<T extends ClaimableObject> {
  private adoptable: Promise<void> | undefined;

  constructor(private readonly options: ControllerRefManagerOptions<T>) {}

  /**
   * Adopts and releases as needed, and returns the objects the owner now
   * controls. Every object is tried; then, if any failed, throws: the first
   * error when all were conflicts (the caller requeues quietly), else a ClaimError.
   */
  async claim(objs: readonly T[]): Promise<T[]> {
    const claimed: T[] = [];
    const errors: unknown[] = [];
    for (const obj of objs) {
      try {
        if (await this.claimOne(obj)) claimed.push(obj);
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) {
      if (errors.every(isConflict)) throw errors[0];
      throw errors.length === 1 ? errors[0] : new ClaimError(errors);
    }
    return claimed;
  }

  private async claimOne(obj: T): Promise<boolean> {
    const { owner, matches } = this.options;
    switch (decideClaim(obj, owner, matches(obj))) {
      case "owned":
        return true;
      case "ignore":
        return false;
      case "adopt":
        try {
          await this.adopt(obj);
          return true;
        } catch (err) {
          // Gone meanwhile: nothing to claim.
          if (isNotFound(err)) return false;
          throw err;
        }
      case "release":
        try {
          await this.options.patch(obj, releasePatch(obj, owner.metadata?.uid ?? ""));
        } catch (err) {
          // Gone, or recreated under the same name (uid mismatch): either way not ours.
          if (!isNotFound(err) && !isInvalid(err)) throw err;
        }
        return false;
    }
  }

  private async adopt(obj: T): Promise<void> {
    const { canAdopt, objectKind, ownerKind, owner } = this.options;
    this.adoptable ??= canAdopt ? canAdopt() : Promise.resolve();
    try {
      await this.adoptable;
    } catch (err) {
      const m = obj.metadata;
      throw new Error(`can't adopt ${objectKind} ${m?.namespace}/${m?.name} (${m?.uid}): ${(err as Error).message}`, { cause: err });
    }
    await this.options.patch(obj, adoptionPatch(obj, newControllerRef(owner, ownerKind)));
  }
}

/**
 * A canAdopt that reads the owner live (upstream RecheckDeletionTimestamp with
 * the uncached GET every controller passes it): adoption is refused if the
 * owner was deleted and recreated under its name, or is being deleted.
 */
export function recheckDeletionTimestamp(owner: OwnerObject, kind: string, getFresh: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    const { namespace, name, uid } = owner.metadata ?? {};
    let fresh: KubeObject;
    try {
      fresh = await getFresh();
      if (fresh.metadata?.uid !== uid) {
        throw new Error(`original ${kind} ${namespace}/${name} is gone: got uid ${fresh.metadata?.uid}, wanted ${uid}`);
      }
    } catch (err) {
      throw new Error(`can't recheck DeletionTimestamp: ${(err as Error).message}`, { cause: err });
    }
    const deleted = fresh.metadata?.deletionTimestamp;
    if (deleted) throw new Error(`${namespace}/${name} has just been deleted at ${deleted}`);
  };
}

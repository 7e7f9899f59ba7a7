import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../../runtime/client/index.ts";
import type { OwnerReference, Patch } from "../../runtime/client/index.ts";
import { adoptionPatch, ClaimError, ControllerRefManager, decideClaim, recheckDeletionTimestamp, releasePatch } from "./controller-ref-manager.ts";
import type { ClaimableObject } from "./controller-ref-manager.ts";

const kind = { apiVersion: "apps.mirrorkube.dev/v1alpha1", kind: "ReplicaSet" };
const owner = { metadata: { name: "web", namespace: "ns", uid: "rs-1" } };
const deletingOwner = { metadata: { ...owner.metadata, deletionTimestamp: "2024-05-01T12:00:00Z" } };
const ours = { ...kind, name: "web", uid: "rs-1", controller: true, blockOwnerDeletion: true };
const theirs = { ...kind, name: "other", uid: "rs-2", controller: true };
const plainOwner = { apiVersion: "v1", kind: "ConfigMap", name: "cm", uid: "cm-1" };

function obj(name: string, ownerReferences?: OwnerReference[], deleting = false): ClaimableObject {
  return { metadata: { name, namespace: "ns", uid: `uid-${name}`, resourceVersion: "5", ...(ownerReferences && { ownerReferences }), ...(deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }) } };
}

describe("decideClaim", () => {
  it.each([
    ["an orphan that matches is adopted", obj("a"), owner, true, "adopt"],
    ["an orphan that does not match is ignored", obj("a"), owner, false, "ignore"],
    ["an orphan being deleted is not adopted", obj("a", undefined, true), owner, true, "ignore"],
    ["an owner being deleted adopts nothing", obj("a"), deletingOwner, true, "ignore"],
    ["an orphan with a non-controller owner is adopted", obj("a", [plainOwner]), owner, true, "adopt"],
    ["ours and matching is claimed", obj("a", [ours]), owner, true, "owned"],
    ["ours and matching is claimed while the owner is being deleted", obj("a", [ours]), deletingOwner, true, "owned"],
    ["ours and no longer matching is released", obj("a", [ours]), owner, false, "release"],
    ["an owner being deleted releases nothing", obj("a", [ours]), deletingOwner, false, "ignore"],
    ["someone else's is ignored even if it matches", obj("a", [theirs]), owner, true, "ignore"],
  ] as const)("%s", (_what, o, own, matches, decision) => {
    expect(decideClaim(o, own, matches)).toBe(decision);
  });
});

describe("claim patches", () => {
  it("adopts with a merge patch that keeps other owners and is guarded by uid and resourceVersion", () => {
    expect(adoptionPatch(obj("a", [plainOwner]), ours)).toEqual({
      type: "merge",
      patch: { metadata: { uid: "uid-a", resourceVersion: "5", ownerReferences: [plainOwner, ours] } },
    });
  });

  it("releases by removing only our reference, and the field when none remain", () => {
    expect(releasePatch(obj("a", [plainOwner, ours]), "rs-1")).toEqual({
      type: "merge",
      patch: { metadata: { uid: "uid-a", resourceVersion: "5", ownerReferences: [plainOwner] } },
    });
    expect(releasePatch(obj("a", [ours]), "rs-1").patch).toEqual({ metadata: { uid: "uid-a", resourceVersion: "5", ownerReferences: null } });
  });
});

describe("ControllerRefManager", () => {
  const manager = (opts: { matches?: (o: ClaimableObject) => boolean; canAdopt?: () => Promise<void>; patch?: (o: ClaimableObject, p: Patch) => Promise<unknown>; own?: typeof owner } = {}) => {
    const patch = vi.fn(opts.patch ?? (async () => ({})));
    const m = new ControllerRefManager<ClaimableObject>({
      owner: opts.own ?? owner,
      ownerKind: kind,
      objectKind: "Pod",
      matches: opts.matches ?? (() => true),
      canAdopt: opts.canAdopt,
      patch,
    });
    return { m, patch };
  };

  it("returns what it owns and adopts, patches what it adopts and releases", async () => {
    const owned = obj("owned", [ours]);
    const orphan = obj("orphan");
    const stale = obj("stale", [ours]);
    const foreign = obj("foreign", [theirs]);
    const { m, patch } = manager({ matches: (o) => o.metadata?.name !== "stale" });
    expect(await m.claim([owned, orphan, stale, foreign])).toEqual([owned, orphan]);
    expect(patch.mock.calls.map(([o, p]) => [o.metadata?.name, p.patch])).toEqual([
      ["orphan", { metadata: { uid: "uid-orphan", resourceVersion: "5", ownerReferences: [ours] } }],
      ["stale", { metadata: { uid: "uid-stale", resourceVersion: "5", ownerReferences: null } }],
    ]);
  });

  it("checks canAdopt once per pass, and only when adopting", async () => {
    const canAdopt = vi.fn(async () => undefined);
    const { m } = manager({ canAdopt });
    await m.claim([obj("owned", [ours])]);
    expect(canAdopt).not.toHaveBeenCalled();
    await m.claim([obj("a"), obj("b")]);
    expect(canAdopt).toHaveBeenCalledTimes(1);
  });

  it("adopts nothing when canAdopt refuses, and says why", async () => {
    const { m, patch } = manager({ canAdopt: async () => Promise.reject(new Error("ns/web has just been deleted at T")) });
    await expect(m.claim([obj("a")])).rejects.toThrow("can't adopt Pod ns/a (uid-a): ns/web has just been deleted at T");
    expect(patch).not.toHaveBeenCalled();
  });

  it("treats an object gone meanwhile as not claimed, without error", async () => {
    const { m } = manager({ patch: async () => Promise.reject(new ApiError(404, "NotFound", "gone")) });
    expect(await m.claim([obj("a"), obj("b", [ours])])).toEqual([obj("b", [ours])]);
  });

  it("ignores 404 and 422 (a recreated namesake) when releasing", async () => {
    for (const err of [new ApiError(404, "NotFound", "gone"), new ApiError(422, "Invalid", "uid mismatch")]) {
      const { m } = manager({ matches: () => false, patch: async () => Promise.reject(err) });
      expect(await m.claim([obj("a", [ours])])).toEqual([]);
    }
  });

  it("tries every object, then throws the conflict alone (a quiet requeue) or every error", async () => {
    const conflict = new ApiError(409, "Conflict", "the object has been modified");
    const conflicting = manager({ patch: async () => Promise.reject(conflict) });
    await expect(conflicting.m.claim([obj("a"), obj("b")])).rejects.toBe(conflict);
    expect(conflicting.patch).toHaveBeenCalledTimes(2);

    const failing = manager({ patch: async (o) => Promise.reject(o.metadata?.name === "a" ? conflict : new ApiError(500, "InternalError", "boom")) });
    const err = await failing.m.claim([obj("a"), obj("b")]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimError);
    expect((err as ClaimError).errors).toHaveLength(2);
    expect((err as Error).message).toBe("the object has been modified; boom");
  });
});

describe("recheckDeletionTimestamp", () => {
  it("allows adoption by a live owner", async () => {
    await expect(recheckDeletionTimestamp(owner, "ReplicaSet", async () => owner)()).resolves.toBeUndefined();
  });

  it("refuses when the owner is being deleted", async () => {
    await expect(recheckDeletionTimestamp(owner, "ReplicaSet", async () => deletingOwner)()).rejects.toThrow("ns/web has just been deleted at 2024-05-01T12:00:00Z");
  });

  it("refuses when a namesake replaced the owner", async () => {
    const check = recheckDeletionTimestamp(owner, "ReplicaSet", async () => ({ metadata: { ...owner.metadata, uid: "rs-9" } }));
    await expect(check()).rejects.toThrow("can't recheck DeletionTimestamp: original ReplicaSet ns/web is gone: got uid rs-9, wanted rs-1");
  });

  it("refuses when the owner cannot be read", async () => {
    const check = recheckDeletionTimestamp(owner, "ReplicaSet", async () => Promise.reject(new ApiError(404, "NotFound", 'replicasets "web" not found')));
    await expect(check()).rejects.toThrow('can\'t recheck DeletionTimestamp: replicasets "web" not found');
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../client/types.ts";
import { diffRelist } from "./diff.ts";
import { objectKey } from "./indexers.ts";
import { Store } from "./store.ts";

const obj = (name: string, rv: string): KubeObject => ({ metadata: { namespace: "ns", name, resourceVersion: rv } });

describe("diffRelist", () => {
  it("adds new objects, updates changed resourceVersions, deletes missing ones, and ignores the unchanged", () => {
    const cache = new Store<KubeObject>();
    for (const o of [obj("same", "1"), obj("changed", "2"), obj("gone", "3")]) cache.upsert(o);
    const diff = diffRelist(cache, [obj("same", "1"), obj("changed", "5"), obj("new", "6")]);
    expect(diff.added.map(objectKey)).toEqual(["ns/new"]);
    expect(diff.updated.map((u) => [u.oldObj.metadata?.resourceVersion, u.newObj.metadata?.resourceVersion])).toEqual([["2", "5"]]);
    expect(diff.deleted.map(objectKey)).toEqual(["ns/gone"]);
  });

  it("applied to the cache, always leaves exactly the listed objects", () => {
    const state = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "e"), fc.constantFrom("1", "2", "3"));
    fc.assert(
      fc.property(state, state, (before, after) => {
        const cache = new Store<KubeObject>();
        for (const [name, rv] of Object.entries(before)) cache.upsert(obj(name, rv));
        const listed = Object.entries(after).map(([name, rv]) => obj(name, rv));
        const diff = diffRelist(cache, listed);
        for (const o of diff.deleted) cache.remove(objectKey(o));
        for (const o of diff.added) cache.upsert(o);
        for (const u of diff.updated) cache.upsert(u.newObj);
        const result = Object.fromEntries(cache.list().map((o) => [o.metadata?.name, o.metadata?.resourceVersion]));
        expect(result).toEqual(after);
        // Every event is a real change.
        expect(diff.added.length + diff.updated.length + diff.deleted.length).toBe(
          Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]).length,
        );
      }),
    );
  });
});

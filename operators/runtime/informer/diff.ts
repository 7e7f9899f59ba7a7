// What a relist changes in the cache: the list is the truth, the cache is what
// handlers have been told so far.
import type { KubeObject } from "../client/types.ts";
import { objectKey } from "./indexers.ts";
import type { ReadonlyStore } from "./store.ts";

export interface RelistDiff<T> {
  added: T[];
  /** Only objects whose resourceVersion changed: an unchanged object produces no event. */
  updated: { oldObj: T; newObj: T }[];
  /** Cached objects missing from the list, as last known: their final state is unknown. */
  deleted: T[];
}

export function diffRelist<T extends KubeObject>(cache: Pick<ReadonlyStore<T>, "get" | "keys">, listed: readonly T[]): RelistDiff<T> {
  const diff: RelistDiff<T> = { added: [], updated: [], deleted: [] };
  const seen = new Set<string>();
  for (const newObj of listed) {
    const key = objectKey(newObj);
    seen.add(key);
    const oldObj = cache.get(key);
    if (!oldObj) diff.added.push(newObj);
    else if (oldObj.metadata?.resourceVersion !== newObj.metadata?.resourceVersion) diff.updated.push({ oldObj, newObj });
  }
  for (const key of cache.keys()) {
    const gone = seen.has(key) ? undefined : cache.get(key);
    if (gone) diff.deleted.push(gone);
  }
  return diff;
}

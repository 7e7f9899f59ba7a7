// The quotas as this process last knew them: the informer cache, except
// where this process itself just wrote a quota's status and the cache has
// not caught up yet. Deciding on the cache alone would make every admission
// after the first in a burst fail its write on a stale resourceVersion.
import type { KubeObject } from "../runtime/client/index.ts";
import { NAMESPACE_INDEX, objectKey } from "../runtime/informer/index.ts";
import type { ReadonlyStore } from "../runtime/informer/index.ts";

/**
 * Whether `a` is at least as new as `b`. resourceVersions are opaque, but
 * etcd-backed servers issue increasing integers; anything else counts as
 * newer, and a write from a stale read then fails its precondition (409).
 */
function atLeastAsNew(a: KubeObject, b: KubeObject): boolean {
  const ra = a.metadata?.resourceVersion ?? "";
  const rb = b.metadata?.resourceVersion ?? "";
  if (!/^\d+$/.test(ra) || !/^\d+$/.test(rb)) return true;
  return BigInt(ra) >= BigInt(rb);
}

export class QuotaSource {
  private readonly written = new Map<string, KubeObject>();

  constructor(private readonly cache: ReadonlyStore<KubeObject>) {}

  /** A status write of ours succeeded: this is the newest version we know. */
  wrote(obj: KubeObject): void {
    this.written.set(objectKey(obj), obj);
  }

  /** Forget what we wrote (after a conflict: someone else's write is newer). */
  forget(key: string): void {
    this.written.delete(key);
  }

  get(key: string): KubeObject | undefined {
    const cached = this.cache.get(key);
    const mine = this.written.get(key);
    if (!mine) return cached;
    if (!cached) {
      // Deleted, or not in the cache yet: the cache decides once it knows.
      return undefined;
    }
    if (atLeastAsNew(cached, mine)) {
      this.written.delete(key);
      return cached;
    }
    return mine;
  }

  inNamespace(namespace: string): KubeObject[] {
    return this.cache.byIndex(NAMESPACE_INDEX, namespace).flatMap((q) => this.get(objectKey(q)) ?? []);
  }
}

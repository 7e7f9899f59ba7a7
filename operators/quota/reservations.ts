// Usage the webhook charged for objects the caches have not shown yet. The
// usage controller recomputes from the caches; without this ledger a
// recompute that runs between an admission and the object reaching the
// cache would hand the charged units out again. An entry is settled when
// the cache holds the object at the admitted generation, and dropped after
// a deadline (the API server may have failed the write after admission).
import type { Usage } from "./evaluators/evaluator.ts";

export interface Reservation {
  namespace: string;
  quota: string;
  /** The plural of the object's mirror kind. */
  resource: string;
  uid: string;
  /** The generation the admitted object has; the cache settles it at this one or later. */
  generation: number;
  delta: Usage;
  expiresAt: number;
}

/** How long an admitted object may take to reach the caches. */
export const RESERVATION_TTL_MS = 60_000;

export class Reservations {
  private readonly byNamespace = new Map<string, Reservation[]>();

  constructor(private readonly now: () => number = Date.now) {}

  add(r: Omit<Reservation, "expiresAt">): void {
    const list = this.byNamespace.get(r.namespace) ?? [];
    list.push({ ...r, expiresAt: this.now() + RESERVATION_TTL_MS });
    this.byNamespace.set(r.namespace, list);
  }

  /** The cache shows object `uid` at `generation`: what was reserved for it is now counted from the cache. */
  observe(namespace: string, resource: string, uid: string, generation: number): void {
    this.keep(namespace, (r) => !(r.resource === resource && r.uid === uid && generation >= r.generation));
  }

  /** The object is gone: nothing is left to reserve for it. */
  forget(namespace: string, uid: string): void {
    this.keep(namespace, (r) => r.uid !== uid);
  }

  /** The live reservations on one quota, for the recompute to add. */
  pending(namespace: string, quota: string): Usage[] {
    const at = this.now();
    this.keep(namespace, (r) => r.expiresAt > at);
    return (this.byNamespace.get(namespace) ?? []).filter((r) => r.quota === quota).map((r) => r.delta);
  }

  private keep(namespace: string, predicate: (r: Reservation) => boolean): void {
    const list = this.byNamespace.get(namespace);
    if (!list) return;
    const kept = list.filter(predicate);
    if (kept.length > 0) this.byNamespace.set(namespace, kept);
    else this.byNamespace.delete(namespace);
  }
}

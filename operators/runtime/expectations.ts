import { realClock, type Clock } from "./queue/index.ts";

/**
 * Creates and deletes a controller has issued but not yet seen in its cache,
 * per owner key (client-go's UIDTrackingControllerExpectations). A controller
 * that acts only when its expectations are satisfied never acts twice on a
 * stale cache. Expectations expire after 5 minutes so a lost event cannot
 * wedge an owner forever.
 */
const ttlMs = 5 * 60_000;

interface Pending {
  adds: number;
  deletes: Set<string>;
  setAt: number;
}

export class Expectations {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly clock: Clock = realClock) {}

  /** True when the owner may act: nothing pending, everything observed, or the expectations expired. */
  satisfied(key: string): boolean {
    const p = this.pending.get(key);
    if (!p) return true;
    if (p.adds <= 0 && p.deletes.size === 0) return true;
    return this.clock.now() - p.setAt > ttlMs;
  }

  expectCreations(key: string, count: number): void {
    this.pending.set(key, { adds: count, deletes: new Set(), setAt: this.clock.now() });
  }

  /** Expects the deletion of these objects (by UID), so a duplicate delete event is not counted twice. */
  expectDeletions(key: string, uids: string[]): void {
    const p = this.pending.get(key);
    this.pending.set(key, { adds: p?.adds ?? 0, deletes: new Set([...(p?.deletes ?? []), ...uids]), setAt: this.clock.now() });
  }

  creationObserved(key: string): void {
    const p = this.pending.get(key);
    if (p) p.adds--;
  }

  /** A create that failed will never be observed: stop waiting for it. */
  lowerCreations(key: string, count: number): void {
    const p = this.pending.get(key);
    if (p) p.adds -= count;
  }

  deletionObserved(key: string, uid: string): void {
    this.pending.get(key)?.deletes.delete(uid);
  }

  /** The owner is gone: forget it. */
  delete(key: string): void {
    this.pending.delete(key);
  }
}

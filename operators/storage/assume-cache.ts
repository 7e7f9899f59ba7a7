// An informer's cache overlaid with versions this process wrote or decided
// but the watch has not delivered yet (upstream's pv_controller caches fed by
// storeObjectUpdate, and the scheduler's AssumeCache). A reader sees its own
// writes at once, so a loop that binds a PV and moves to the next claim does
// not offer the same PV again from a stale cache.
import type { KubeObject } from "../runtime/client/index.ts";
import type { ReadonlyStore } from "../runtime/informer/store.ts";

/** A resourceVersion as a number (etcd's are increasing integers); undefined when it is not one. */
export function versionOf(rv: string | undefined): bigint | undefined {
  return rv && /^[0-9]+$/.test(rv) ? BigInt(rv) : undefined;
}

function version(obj: KubeObject | undefined): bigint | undefined {
  return versionOf(obj?.metadata?.resourceVersion);
}

export class AssumeCache<T extends KubeObject> {
  private readonly assumed = new Map<string, T>();

  constructor(private readonly store: ReadonlyStore<T>) {}

  /**
   * The assumed version while the informer has nothing newer; an object the
   * informer no longer has is gone, whatever was assumed of it.
   */
  get(key: string): T | undefined {
    const informed = this.store.get(key);
    const mine = this.assumed.get(key);
    if (!mine) return informed;
    if (!informed) {
      this.assumed.delete(key);
      return undefined;
    }
    const a = version(mine);
    const b = version(informed);
    if (a === undefined || b === undefined || b > a) {
      this.assumed.delete(key);
      return informed;
    }
    return mine;
  }

  list(): T[] {
    const out: T[] = [];
    for (const key of this.store.keys()) {
      const obj = this.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  /**
   * Records `obj` (an API server's answer to our write, or a decision the
   * scheduler has yet to write, at the version it was made from) unless the
   * cache already holds something newer.
   */
  assume(key: string, obj: T): void {
    const current = this.get(key);
    const a = version(obj);
    const b = version(current);
    if (a !== undefined && b !== undefined && b > a) return;
    this.assumed.set(key, obj);
  }

  /** Forgets what was assumed of `key`: reads see the informer's version again. */
  restore(key: string): void {
    this.assumed.delete(key);
  }
}

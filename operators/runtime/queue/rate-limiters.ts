// Rate limiters for requeues, with client-go's semantics
// (k8s.io/client-go/util/workqueue/default_rate_limiters.go): when(item)
// returns how long to wait before the item may be retried and records the
// attempt; forget(item) clears the item's history after a success.
import type { Clock } from "./clock.ts";

export interface RateLimiter<K> {
  /** Delay in ms before `item` may be processed again; counts one more failure. */
  when(item: K): number;
  /** The item succeeded: reset its failure history. */
  forget(item: K): void;
  /** How many times `item` has been requeued since it was last forgotten. */
  numRequeues(item: K): number;
}

/** Per item: baseMs · 2^failures, capped at maxMs. */
export class ItemExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();

  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {}

  when(item: K): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    return exponentialDelay(this.baseMs, exp, this.maxMs);
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/** min(max, base · 2^exp); written so a large exp cannot overflow to Infinity or NaN. */
export function exponentialDelay(baseMs: number, exp: number, maxMs: number): number {
  if (exp >= 1024) return maxMs;
  return Math.min(maxMs, baseMs * 2 ** exp);
}

/**
 * One token bucket for all items (golang.org/x/time/rate's Reserve().Delay()):
 * starts full, refills at `qps`, and a reservation may drive it negative, which
 * is the wait before that reservation's token exists.
 */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly qps = 10,
    private readonly burst = 100,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: K): number {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.qps) - 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** The worst (longest) delay of several limiters; every limiter sees every call. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }

  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/** client-go's DefaultTypedControllerRateLimiter: 5 ms doubling to 1000 s per item, 10 qps / burst 100 overall. */
export function defaultControllerRateLimiter<K>(clock: Clock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ItemExponentialRateLimiter<K>(5, 1_000_000), new BucketRateLimiter<K>(clock, 10, 100));
}

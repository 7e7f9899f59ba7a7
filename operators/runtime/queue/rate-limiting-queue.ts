// The queue controllers use: the work queue plus delayed adds (RequeueAfter)
// and rate-limited adds (error backoff), as client-go's delaying and
// rate-limiting queues.
import { defaultControllerRateLimiter } from "./rate-limiters.ts";
import type { RateLimiter } from "./rate-limiters.ts";
import { WorkQueue } from "./work-queue.ts";
import type { QueueKey, WorkQueueOptions } from "./work-queue.ts";

export interface RateLimitingQueueOptions<K> extends WorkQueueOptions<K> {
  /** Defaults to client-go's default controller rate limiter on the queue's clock. */
  rateLimiter?: RateLimiter<K>;
}

interface Waiting {
  readyAt: number;
  cancel: () => void;
}

export class RateLimitingQueue<K extends QueueKey> extends WorkQueue<K> {
  private readonly rateLimiter: RateLimiter<K>;
  private readonly waiting = new Map<K, Waiting>();

  constructor(options: RateLimitingQueueOptions<K> = {}) {
    super(options);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
  }

  /**
   * Adds `item` after `ms`. If the item is already waiting, the earlier of the
   * two deadlines wins, so a short RequeueAfter is never postponed by a long one.
   */
  addAfter(item: K, ms: number): void {
    if (this.isShuttingDown()) return;
    this.metrics.retry();
    if (ms <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const current = this.waiting.get(item);
    if (current && current.readyAt <= readyAt) return;
    current?.cancel();
    const cancel = this.clock.setTimer(ms, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { readyAt, cancel });
  }

  /** Adds `item` when the rate limiter allows: per-item backoff and the overall bucket. */
  addRateLimited(item: K): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: its backoff starts again from the beginning. */
  forget(item: K): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: K): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** Items waiting for a delayed add. */
  numWaiting(): number {
    return this.waiting.size;
  }

  protected override onShutDown(): void {
    for (const w of this.waiting.values()) w.cancel();
    this.waiting.clear();
  }
}

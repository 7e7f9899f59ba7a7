// The core work queue, with client-go's guarantees (util/workqueue/queue.go):
// - an item is handed to at most one worker at a time (the processing set);
// - adding an item that is already waiting does nothing (the dirty set);
// - an item added while a worker holds it is queued again when done() is called.
// Keys are compared by value, so they are strings or numbers (e.g. "ns/name").
import { realClock } from "./clock.ts";
import type { Clock } from "./clock.ts";
import { noQueueMetrics, PrometheusQueueMetrics } from "./queue-metrics.ts";
import type { QueueMetrics } from "./queue-metrics.ts";

export type QueueKey = string | number;

export interface WorkQueueOptions<K> {
  /** Names the queue in metrics (labels name and controller); without it and without `metrics`, none are recorded. */
  name?: string;
  clock?: Clock;
  metrics?: QueueMetrics<K>;
}

export class WorkQueue<K extends QueueKey> {
  protected readonly clock: Clock;
  protected readonly metrics: QueueMetrics<K>;
  private readonly queue = new Fifo<K>();
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((item: K | undefined) => void)[] = [];
  private readonly drainWaiters: (() => void)[] = [];
  private shutdown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.metrics =
      options.metrics ?? (options.name === undefined ? noQueueMetrics : new PrometheusQueueMetrics<K>(options.name, this.clock));
  }

  /** Marks `item` as needing work. Ignored after shutdown. */
  add(item: K): void {
    if (this.shutdown || this.dirty.has(item)) return;
    this.metrics.add(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.dispatch();
  }

  /**
   * The next item to work on; waits while the queue is empty. Resolves
   * undefined once the queue is shut down: items still queued then are not
   * handed out, because a level-based controller re-derives them after restart.
   */
  get(): Promise<K | undefined> {
    if (this.shutdown) return Promise.resolve(undefined);
    if (this.queue.length > 0) return Promise.resolve(this.take());
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The worker is finished with `item`; if it was added meanwhile it is queued again. */
  done(item: K): void {
    // A second done() for one get() must not queue the item twice.
    if (!this.processing.delete(item)) return;
    this.metrics.done(item);
    if (this.dirty.has(item) && !this.shutdown) {
      this.queue.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** Items waiting to be taken (not counting items being processed). */
  len(): number {
    return this.queue.length;
  }

  isShuttingDown(): boolean {
    return this.shutdown;
  }

  /** Stops the queue: adds are ignored and every get() resolves undefined. In-flight items may still call done(). */
  shutDown(): void {
    if (this.shutdown) return;
    this.shutdown = true;
    this.onShutDown();
    this.metrics.shutDown();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
    if (this.processing.size === 0) this.releaseDrainWaiters();
  }

  /** shutDown(), then resolves once every item a worker holds has been done(). */
  shutDownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => {
      if (this.processing.size === 0) resolve();
      else this.drainWaiters.push(resolve);
    });
    this.shutDown();
    return drained;
  }

  /** Hook for subclasses that hold more state (timers) to release on shutdown. */
  protected onShutDown(): void {}

  private take(): K | undefined {
    const item = this.queue.shift();
    if (item === undefined) return undefined;
    this.metrics.get(item);
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  // Hands items straight to waiting workers, so an item is in the processing
  // set from the moment it leaves the queue.
  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const waiter = this.waiters.shift();
      waiter?.(this.take());
    }
  }

  private releaseDrainWaiters(): void {
    if (!this.shutdown) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }
}

// A FIFO with O(1) shift: Array.prototype.shift copies the array, which is
// quadratic for a queue holding thousands of keys.
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

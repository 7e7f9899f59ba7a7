// The queue's metrics hooks, as client-go's queueMetrics: the queue reports
// what happens to items, this turns it into the controller-runtime series.
import { workqueueInstruments } from "../metrics.ts";
import type { InFlightWork, WorkqueueInstruments } from "../metrics.ts";
import type { Clock } from "./clock.ts";

export interface QueueMetrics<K> {
  /** An item became dirty (a real add, not a duplicate). */
  add(item: K): void;
  /** A worker took the item. */
  get(item: K): void;
  /** The worker finished with the item. */
  done(item: K): void;
  /** A delayed or rate-limited requeue was asked for. */
  retry(): void;
  /** The queue shut down; queued items will never be taken. */
  shutDown(): void;
}

export const noQueueMetrics: QueueMetrics<unknown> = {
  add() {},
  get() {},
  done() {},
  retry() {},
  shutDown() {},
};

export class PrometheusQueueMetrics<K> implements QueueMetrics<K>, InFlightWork {
  private readonly instruments: WorkqueueInstruments;
  private readonly addedAt = new Map<K, number>();
  private readonly startedAt = new Map<K, number>();
  private readonly untrack: () => void;

  constructor(
    name: string,
    private readonly clock: Clock,
  ) {
    this.instruments = workqueueInstruments(name);
    this.instruments.depth.set(0);
    this.untrack = this.instruments.trackInFlight(this);
  }

  add(item: K): void {
    this.instruments.adds.inc();
    this.instruments.depth.inc();
    if (!this.addedAt.has(item)) this.addedAt.set(item, this.clock.now());
  }

  get(item: K): void {
    const now = this.clock.now();
    this.instruments.depth.dec();
    this.startedAt.set(item, now);
    const added = this.addedAt.get(item);
    if (added !== undefined) {
      this.instruments.queueDuration.observe((now - added) / 1000);
      this.addedAt.delete(item);
    }
  }

  done(item: K): void {
    const started = this.startedAt.get(item);
    if (started === undefined) return;
    this.instruments.workDuration.observe((this.clock.now() - started) / 1000);
    this.startedAt.delete(item);
  }

  retry(): void {
    this.instruments.retries.inc();
  }

  shutDown(): void {
    this.instruments.depth.set(0);
    this.addedAt.clear();
    this.untrack();
  }

  unfinishedWorkSeconds(): number {
    const now = this.clock.now();
    let total = 0;
    for (const started of this.startedAt.values()) total += now - started;
    return total / 1000;
  }

  longestRunningProcessorSeconds(): number {
    const now = this.clock.now();
    let longest = 0;
    for (const started of this.startedAt.values()) longest = Math.max(longest, now - started);
    return longest / 1000;
  }
}

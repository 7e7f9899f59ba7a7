import type { CoreEvent } from "./event.ts";

/**
 * What client-go's EventCorrelator does before an event is written:
 * 1. similar events (same object, type and reason, 10 distinct messages within
 *    10 minutes) are combined into one "(combined from similar events): ..."
 *    event;
 * 2. an event identical to one already written becomes a patch of that event
 *    (count + 1, new lastTimestamp), not a new object;
 * 3. a token bucket per source and object (burst 25, one token per 5 minutes)
 *    drops event storms.
 */
export type Correlated =
  | { action: "create"; event: CoreEvent }
  | { action: "patch"; event: CoreEvent }
  | { action: "drop" };

const maxSimilar = 10;
const similarWindowMs = 10 * 60_000;
const spamBurst = 25;
const spamRefillMs = 5 * 60_000;
const cacheSize = 4096;

export class EventCorrelator {
  private readonly similar = new Lru<{ messages: Set<string>; firstAt: number }>(cacheSize);
  private readonly written = new Lru<{ name: string; count: number; firstTimestamp: string }>(cacheSize);
  private readonly buckets = new Lru<{ tokens: number; at: number }>(cacheSize);

  correlate(input: CoreEvent, now: number): Correlated {
    if (!this.takeToken(spamKey(input), now)) return { action: "drop" };
    const event = this.aggregate(input, now);
    const key = identityKey(event);
    const prior = this.written.get(key);
    if (prior) {
      const count = prior.count + 1;
      this.written.set(key, { ...prior, count });
      return { action: "patch", event: { ...event, metadata: { ...event.metadata, name: prior.name }, count, firstTimestamp: prior.firstTimestamp } };
    }
    this.written.set(key, { name: event.metadata?.name ?? "", count: event.count, firstTimestamp: event.firstTimestamp });
    return { action: "create", event };
  }

  /** Forgets a written event (e.g. the API server expired it), so the next one is created anew. */
  forget(event: CoreEvent): void {
    this.written.delete(identityKey(event));
  }

  private aggregate(event: CoreEvent, now: number): CoreEvent {
    const key = similarKey(event);
    let entry = this.similar.get(key);
    if (!entry || now - entry.firstAt > similarWindowMs) entry = { messages: new Set(), firstAt: now };
    entry.messages.add(event.message);
    this.similar.set(key, entry);
    if (entry.messages.size < maxSimilar) return event;
    return { ...event, message: `(combined from similar events): ${event.message}` };
  }

  private takeToken(key: string, now: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: spamBurst, at: now };
    const tokens = Math.min(spamBurst, bucket.tokens + (now - bucket.at) / spamRefillMs);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return false;
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    return true;
  }
}

function objectKey(e: CoreEvent): string {
  const o = e.involvedObject;
  return [e.source.component, e.source.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].join("\u0000");
}

const spamKey = objectKey;
const similarKey = (e: CoreEvent) => [objectKey(e), e.type, e.reason, e.reportingComponent, e.reportingInstance].join("\u0000");
/** Combined events share one key regardless of their latest message, so they keep patching one object. */
const identityKey = (e: CoreEvent) => [similarKey(e), e.message.startsWith("(combined from similar events)") ? "" : e.message].join("\u0000");

/** A size-bounded map that forgets the least recently used entry, as client-go's LRU caches. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}

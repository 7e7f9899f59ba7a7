// The reflector keeps a Store equal to the server's state of one resource
// and tells a listener every change, for as long as it runs:
// - list (paginated), then watch from the list's resourceVersion with
//   bookmarks; when a watch ends, watch again from the last resourceVersion
//   seen (bookmarks included), so nothing is missed and nothing replayed;
// - 410 Gone (HTTP or an ERROR event): relist and diff against the store,
//   so vanished objects get a delete and unchanged ones no event;
// - any other failure: retry with jittered exponential backoff, forever;
// - a watch silent past its timeout plus a margin, or a list page silent too
//   long, is aborted and retried;
// - a line that does not parse is logged and counted, then skipped.
import type { Logger } from "pino";
import { ApiError, isGone } from "../client/api-error.ts";
import { isNamedObject } from "../client/types.ts";
import type { KubeObject } from "../client/types.ts";
import { reflectorParseErrors } from "../metrics.ts";
import { realClock, sleep } from "../queue/clock.ts";
import type { Clock } from "../queue/clock.ts";
import { defaultWatchBackoff, reconnectDelay, watchTimeoutSeconds } from "./backoff.ts";
import type { BackoffPolicy } from "./backoff.ts";
import { IdleDeadline } from "./deadline.ts";
import { diffRelist } from "./diff.ts";
import { objectKey } from "./indexers.ts";
import { defaultInformerLogger } from "./log.ts";
import { listAllPages } from "./pager.ts";
import type { Store } from "./store.ts";
import type { ListPage, ListPageOptions, ListWatchTransport } from "./transport.ts";
import { parseWatchLine } from "./watch-event.ts";

export interface ReflectorListener<T> {
  onAdd(obj: T): void;
  onUpdate(oldObj: T, newObj: T): void;
  /** finalStateUnknown: the object vanished while no watch was looking (found by a relist); `obj` is its last known state. */
  onDelete(obj: T, finalStateUnknown: boolean): void;
  /** The first full list is in the store. */
  onSynced(): void;
}

/** Knobs with production defaults; tests shrink or fake them. */
export interface ReflectorTuning {
  clock?: Clock;
  random?: () => number;
  logger?: Logger;
  /** Objects per list page (client-go's pager uses 500). */
  pageSize?: number;
  /** Watch timeouts are random in [min, 2·min) seconds; client-go uses 5 minutes. */
  minWatchTimeoutSeconds?: number;
  /** How long past its timeout a silent watch is given before it is aborted. */
  watchdogMarginMs?: number;
  /** How long a list page may go without an answer. */
  listPageTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /**
   * Applied to every object before it is cached. Defaults to dropping
   * metadata.managedFields, which no controller reads and which is often the
   * largest part of an object (controller-runtime's TransformStripManagedFields).
   */
  transform?: (obj: KubeObject) => KubeObject;
}

export function stripManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export interface ReflectorOptions<T extends KubeObject> extends ReflectorTuning {
  /** Names the resource in logs and the parse-error counter, e.g. "pods.core.mirrorkube.dev". */
  resource: string;
  transport: ListWatchTransport;
  store: Store<T>;
  listener: ReflectorListener<T>;
}

interface Attempt {
  /** Something was learned from the server: the next try starts without backoff. */
  progressed: boolean;
  error?: unknown;
}

type LineOutcome = "applied" | "skipped" | "gone";

export class Reflector<T extends KubeObject> {
  private readonly resource: string;
  private readonly transport: ListWatchTransport;
  private readonly store: Store<T>;
  private readonly listener: ReflectorListener<T>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: Logger;
  private readonly pageSize: number;
  private readonly minWatchTimeoutSeconds: number;
  private readonly watchdogMarginMs: number;
  private readonly listPageTimeoutMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly transform: (obj: KubeObject) => KubeObject;
  private resourceVersion: string | undefined;
  private synced = false;

  constructor(options: ReflectorOptions<T>) {
    this.resource = options.resource;
    this.transport = options.transport;
    this.store = options.store;
    this.listener = options.listener;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.log = (options.logger ?? defaultInformerLogger).child({ resource: options.resource });
    this.pageSize = options.pageSize ?? 500;
    this.minWatchTimeoutSeconds = options.minWatchTimeoutSeconds ?? 300;
    this.watchdogMarginMs = options.watchdogMarginMs ?? 15_000;
    this.listPageTimeoutMs = options.listPageTimeoutMs ?? 120_000;
    this.backoff = options.backoff ?? defaultWatchBackoff;
    this.transform = options.transform ?? stripManagedFields;
  }

  /** The resourceVersion the next watch starts from; undefined until listed, and after a 410. */
  get lastSyncResourceVersion(): string | undefined {
    return this.resourceVersion;
  }

  /** Runs until `signal` aborts; never gives up on errors. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const attempt = await this.listAndWatch(signal);
      if (signal.aborted) return;
      if (attempt.progressed) {
        failures = 0;
        if (attempt.error !== undefined) this.log.warn({ err: attempt.error }, "watch failed; reconnecting");
        continue;
      }
      const delayMs = Math.round(reconnectDelay(this.backoff, failures++, this.random));
      if (attempt.error !== undefined) this.log.warn({ err: attempt.error, delayMs, failures }, "list/watch failed; retrying after backoff");
      else this.log.debug({ delayMs }, "watch closed without events; reconnecting after backoff");
      await sleep(this.clock, delayMs, signal);
    }
  }

  private async listAndWatch(signal: AbortSignal): Promise<Attempt> {
    let listed = false;
    if (this.resourceVersion === undefined) {
      try {
        await this.relist(signal);
        listed = true;
      } catch (error) {
        return { progressed: false, error };
      }
    }
    const watched = await this.watchOnce(signal);
    return { progressed: listed || watched.progressed, error: watched.error };
  }

  private async relist(signal: AbortSignal): Promise<void> {
    const { items, resourceVersion } = await listAllPages((options) => this.listPage(options, signal), this.pageSize);
    const listed: T[] = [];
    for (const item of items) {
      if (isCacheable<T>(item)) listed.push(this.transform(item) as T);
      else this.skip("list item without metadata.name", JSON.stringify(item));
    }
    const diff = diffRelist(this.store, listed);
    for (const obj of diff.deleted) {
      this.store.remove(objectKey(obj));
      this.listener.onDelete(obj, true);
    }
    for (const obj of diff.added) {
      this.store.upsert(obj);
      this.listener.onAdd(obj);
    }
    for (const { oldObj, newObj } of diff.updated) {
      this.store.upsert(newObj);
      this.listener.onUpdate(oldObj, newObj);
    }
    this.resourceVersion = resourceVersion;
    this.log.info(
      { resourceVersion, objects: listed.length, added: diff.added.length, updated: diff.updated.length, deleted: diff.deleted.length },
      "listed",
    );
    if (!this.synced) {
      this.synced = true;
      this.listener.onSynced();
    }
  }

  private async listPage(options: ListPageOptions, signal: AbortSignal): Promise<ListPage> {
    const deadline = new IdleDeadline(this.clock, this.listPageTimeoutMs, signal);
    try {
      return await this.transport.list(options, deadline.signal);
    } catch (err) {
      if (deadline.expired) throw new Error(`list page got no answer within ${this.listPageTimeoutMs} ms`, { cause: err });
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  private async watchOnce(signal: AbortSignal): Promise<Attempt> {
    const resourceVersion = this.resourceVersion ?? "";
    const timeoutSeconds = watchTimeoutSeconds(this.minWatchTimeoutSeconds, this.random);
    const idleMs = timeoutSeconds * 1000 + this.watchdogMarginMs;
    const deadline = new IdleDeadline(this.clock, idleMs, signal);
    let progressed = false;
    try {
      const lines = this.transport.watch({ resourceVersion, timeoutSeconds, allowWatchBookmarks: true }, deadline.signal);
      for await (const line of lines) {
        deadline.touch();
        const outcome = this.handleLine(line);
        if (outcome === "gone") {
          this.expire("ERROR event 410");
          return { progressed };
        }
        if (outcome === "applied") progressed = true;
      }
      return { progressed };
    } catch (err) {
      if (deadline.expired) return { progressed, error: new Error(`watch stalled: no line for ${idleMs} ms`) };
      if (isGone(err)) {
        this.expire("HTTP 410");
        return { progressed };
      }
      return { progressed, error: err };
    } finally {
      deadline.dispose();
    }
  }

  private handleLine(line: string): LineOutcome {
    const parsed = parseWatchLine(line);
    if (!parsed.ok) {
      this.skip(parsed.reason, line);
      return "skipped";
    }
    const event = parsed.event;
    switch (event.type) {
      case "BOOKMARK":
        this.resourceVersion = event.resourceVersion;
        return "applied";
      case "ERROR":
        if (event.status.code === 410) return "gone";
        throw ApiError.fromStatus(event.status);
      case "DELETED": {
        const obj = this.transform(event.object) as T;
        // A delete of an object never seen (created and deleted between list and watch) tells handlers nothing.
        if (this.store.remove(objectKey(obj))) this.listener.onDelete(obj, false);
        break;
      }
      case "ADDED":
      case "MODIFIED": {
        const obj = this.transform(event.object) as T;
        const old = this.store.upsert(obj);
        if (old) this.listener.onUpdate(old, obj);
        else this.listener.onAdd(obj);
        break;
      }
    }
    this.resourceVersion = event.object.metadata.resourceVersion ?? this.resourceVersion;
    return "applied";
  }

  private expire(why: string): void {
    this.log.info({ resourceVersion: this.resourceVersion, why }, "resourceVersion expired; relisting");
    this.resourceVersion = undefined;
  }

  private skip(reason: string, line: string): void {
    reflectorParseErrors.inc({ resource: this.resource });
    const excerpt = line.length > 1024 ? `${line.slice(0, 1024)}…` : line;
    this.log.error({ reason, line: excerpt }, "skipped a watch line or list item that could not be used");
  }
}

// The API server's schema for the resource guarantees the rest of T's shape.
function isCacheable<T extends KubeObject>(item: unknown): item is T {
  return isNamedObject(item);
}

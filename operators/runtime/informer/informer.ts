// An informer: a reflector filling a store, and event handlers told of every
// change. Handlers run synchronously, in registration order; one that throws
// is logged and the others (and the informer) carry on.
import type { Logger } from "pino";
import type { KubeObject } from "../client/types.ts";
import type { IndexFunc } from "./indexers.ts";
import { defaultInformerLogger } from "./log.ts";
import { Reflector } from "./reflector.ts";
import type { ReflectorListener, ReflectorTuning } from "./reflector.ts";
import { Store } from "./store.ts";
import type { ReadonlyStore } from "./store.ts";
import type { ListWatchTransport } from "./transport.ts";

export interface EventHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  /** finalStateUnknown: found gone by a relist; `obj` is the last state the cache had (a tombstone). */
  delete?(obj: T, finalStateUnknown: boolean): void;
}

export interface InformerOptions extends ReflectorTuning {
  resource: string;
  transport: ListWatchTransport;
}

type State = "new" | "running" | "stopped";

export class Informer<T extends KubeObject> {
  readonly resource: string;
  private readonly cache = new Store<T>();
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly reflector: Reflector<T>;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private state: State = "new";
  private synced = false;
  private running: Promise<void> | undefined;
  private readonly syncWaiters = new Set<(synced: boolean) => void>();

  constructor(options: InformerOptions) {
    this.resource = options.resource;
    this.log = (options.logger ?? defaultInformerLogger).child({ resource: options.resource });
    this.reflector = new Reflector<T>({ ...options, store: this.cache, listener: this.dispatcher() });
  }

  /** The cache, read-only: get, list, keys, byIndex. */
  get store(): ReadonlyStore<T> {
    return this.cache;
  }

  /** See Store.addIndexer: may be called before or after start. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  /**
   * Registers handlers; returns a function that unregisters them. Handlers
   * added once objects are cached first get an add for each of them, so a
   * late controller sees the same world as an early one.
   */
  addEventHandler(handlers: EventHandlers<T>): () => void {
    this.handlers.push(handlers);
    if (handlers.add) for (const obj of this.cache.list()) this.call(handlers, "add", () => handlers.add?.(obj));
    return () => {
      const i = this.handlers.indexOf(handlers);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  start(): void {
    if (this.state === "running") return;
    if (this.state === "stopped") throw new Error(`informer for ${this.resource} was stopped and cannot start again`);
    this.state = "running";
    this.running = this.reflector.run(this.abort.signal);
  }

  /** Stops the reflector and waits for it; pending waitForSync calls resolve false. */
  async stop(): Promise<void> {
    this.state = "stopped";
    this.abort.abort();
    this.resolveSyncWaiters(false);
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is cached, false if `signal` aborts or the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.state === "stopped" || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters.delete(done);
        resolve(false);
      };
      const done = (synced: boolean) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(synced);
      };
      this.syncWaiters.add(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  get lastSyncResourceVersion(): string | undefined {
    return this.reflector.lastSyncResourceVersion;
  }

  private dispatcher(): ReflectorListener<T> {
    return {
      onAdd: (obj) => this.each("add", (h) => h.add?.(obj)),
      onUpdate: (oldObj, newObj) => this.each("update", (h) => h.update?.(oldObj, newObj)),
      onDelete: (obj, finalStateUnknown) => this.each("delete", (h) => h.delete?.(obj, finalStateUnknown)),
      onSynced: () => {
        this.synced = true;
        this.resolveSyncWaiters(true);
      },
    };
  }

  private each(event: keyof EventHandlers<T>, invoke: (h: EventHandlers<T>) => void): void {
    // A snapshot, so a handler that unregisters itself does not skip its neighbour.
    for (const h of [...this.handlers]) if (h[event]) this.call(h, event, () => invoke(h));
  }

  private call(h: EventHandlers<T>, event: keyof EventHandlers<T>, invoke: () => void): void {
    try {
      invoke();
    } catch (err) {
      this.log.error({ err, event, handler: this.handlers.indexOf(h) }, "event handler threw; continuing");
    }
  }

  private resolveSyncWaiters(synced: boolean): void {
    for (const done of [...this.syncWaiters]) done(synced);
    this.syncWaiters.clear();
  }
}

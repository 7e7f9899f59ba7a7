// One informer per resource slice per process, shared by every controller
// that asks for it, so N controllers watching Pods cost one watch and one
// cache, as controller-runtime's cache.
import type { RestClient } from "../client/rest-client.ts";
import { describeRef } from "../client/paths.ts";
import type { KubeObject } from "../client/types.ts";
import { Informer } from "./informer.ts";
import type { ReflectorTuning } from "./reflector.ts";
import { restListWatch } from "./rest-transport.ts";
import type { InformerSpec } from "./rest-transport.ts";
import type { ListWatchTransport } from "./transport.ts";

export type TransportFactory = (spec: InformerSpec) => ListWatchTransport;

export interface SharedInformerFactoryOptions extends ReflectorTuning {
  transportFor: TransportFactory;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(private readonly options: SharedInformerFactoryOptions) {}

  /** Informers over the API server behind `rest`. */
  static forRestClient(rest: RestClient, tuning: ReflectorTuning = {}): SharedInformerFactory {
    return new SharedInformerFactory({ ...tuning, transportFor: (spec) => restListWatch(rest, spec) });
  }

  /**
   * The informer for `spec`, created on first request. If the factory is
   * already started, a new informer starts at once (a controller added late).
   * The caller names the object type; every caller of one resource must agree on it.
   */
  informerFor<T extends KubeObject>(spec: InformerSpec): Informer<T> {
    const key = informerKey(spec);
    let informer = this.informers.get(key);
    if (!informer) {
      const { transportFor, ...tuning } = this.options;
      informer = new Informer<KubeObject>({ ...tuning, resource: describeRef(spec), transport: transportFor(spec) });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    // The cache holds whatever the API returns for the resource; T is the caller's view of it.
    return informer as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  /** True once every informer created so far has synced; false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  hasSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }
}

function informerKey(spec: InformerSpec): string {
  return JSON.stringify([spec.group, spec.version, spec.plural, spec.namespace ?? "", spec.labelSelector ?? "", spec.fieldSelector ?? ""]);
}

import { hostname } from "node:os";
import { isNamespaceTerminating, isNotFound, type KubeObject, type ResourceClient } from "../client/index.ts";
import { log } from "../logging.ts";
import { EventCorrelator } from "./correlator.ts";
import type { CoreEvent, EventType } from "./event.ts";

/** Events emitted while a write is pending are buffered; beyond this they are dropped (client-go: 1000). */
const maxPending = 1000;

/**
 * Records core/v1 Events about objects, as client-go's recorder: correlated
 * (aggregated, deduplicated into counts, spam-filtered) and written in the
 * background so a reconcile never waits on them.
 */
export class EventRecorder {
  private readonly correlator = new EventCorrelator();
  private pending = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ResourceClient<CoreEvent>,
    private readonly component: string,
    private readonly instance = hostname(),
  ) {}

  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    const now = Date.now();
    const meta = obj.metadata ?? {};
    const timestamp = new Date(now).toISOString().replace(/\.\d{3}Z$/, "Z");
    const event: CoreEvent = {
      apiVersion: "v1",
      kind: "Event",
      metadata: {
        // client-go names events <object>.<unix nanoseconds in hex>.
        name: `${meta.name}.${(BigInt(now) * 1_000_000n + BigInt(Math.floor(Math.random() * 1e6))).toString(16)}`,
        namespace: meta.namespace || "default",
      },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion },
      reason,
      message,
      type,
      source: { component: this.component, host: this.instance },
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      count: 1,
      reportingComponent: this.component,
      reportingInstance: this.instance,
    };
    const correlated = this.correlator.correlate(event, now);
    if (correlated.action === "drop") return;
    if (this.pending >= maxPending) {
      log.warn({ reason, object: `${meta.namespace}/${meta.name}` }, "event buffer full; dropping event");
      return;
    }
    this.pending++;
    this.chain = this.chain.then(() => this.write(correlated.action, correlated.event)).finally(() => this.pending--);
  }

  /** Resolves once every event recorded so far has been written (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private async write(action: "create" | "patch", event: CoreEvent): Promise<void> {
    try {
      if (action === "patch") {
        try {
          await this.client.patch(
            { namespace: event.metadata?.namespace, name: event.metadata?.name ?? "" },
            { type: "merge", patch: { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message } },
          );
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          // The API server expired it (event TTL): write it anew.
          this.correlator.forget(event);
          event = { ...event, count: 1, firstTimestamp: event.lastTimestamp };
        }
      }
      await this.client.create(event);
    } catch (err) {
      if (isNamespaceTerminating(err)) return;
      log.warn({ err, reason: event.reason, object: `${event.involvedObject.namespace}/${event.involvedObject.name}` }, "could not write event");
    }
  }
}


import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNotFound, loadKubeConfig, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import type { KindRef } from "../../operators/runtime/controller/builder.ts";
import { Informer, restListWatch } from "../../operators/runtime/informer/index.ts";
import type { ReadonlyStore } from "../../operators/runtime/informer/index.ts";
import { Manager } from "../../operators/runtime/manager/manager.ts";
import { metricValue } from "../../operators/runtime/metrics.ts";
import { localCluster, startExtraApiServer } from "./support/apiserver.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";

// The runtime's data path against a real API server: nothing written is
// missed, and a crashed API server is survived without help.

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

const configMaps: KindRef = { group: "", version: "v1", plural: "configmaps", namespaced: true, kind: "ConfigMap" };
/** Objects this file writes; the namespace also holds kube-root-ca.crt, which the root CA publisher writes. */
const prefix = "cm-";
const ours = (name: string | undefined): name is string => !!name?.startsWith(prefix);

/** name → resourceVersion, the state compared between a cache and the server. */
type State = Map<string, string>;

describe("runtime informer and controller against the API server", () => {
  const kc = kubeConfig();
  const writerRest = new RestClient(kc, "e2e-writer");
  const writer = new ResourceClient<ConfigMap>(writerRest, configMaps);
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "informer");
  });
  afterAll(async () => {
    writerRest.close();
    await ns?.remove();
  });

  async function serverState(): Promise<State> {
    const list = await writer.list({ namespace: ns.name });
    return new Map(list.items.filter((o) => ours(o.metadata?.name)).map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]));
  }

  it("sees every add, update and delete of 500 objects written concurrently", async () => {
    const manager = new Manager({ name: "e2e-informer", kubeconfig: kc, leaderElection: false, metricsBindAddress: "0", healthProbeBindAddress: "0" });
    const informer = manager.informerFor<ConfigMap>(configMaps);
    const events = countEvents(informer, ns.name);
    // name → resourceVersion in the cache when the reconciler last ran for it; null: it was gone.
    const reconciled = new Map<string, string | null>();
    manager
      .controller("e2e-recorder")
      .for(configMaps)
      .withWorkers(4)
      .complete(async (req) => {
        if (req.namespace !== ns.name || !ours(req.name)) return;
        reconciled.set(req.name, informer.store.get(`${req.namespace}/${req.name}`)?.metadata?.resourceVersion ?? null);
      });
    const stop = new AbortController();
    const running = manager.start(stop.signal);
    try {
      await eventually(() => informer.hasSynced(), { what: "configmaps informer synced" });

      // Each object: create, 1–3 updates, and for every fourth a delete; objects in parallel.
      const count = 500;
      const lastWrite = new Map<string, string | null>();
      let updates = 0;
      await forEachConcurrently(range(count), 50, async (i) => {
        const name = `${prefix}${i}`;
        let obj = await writer.create({ metadata: { name, namespace: ns.name, labels: { app: "e2e" } }, data: { v: "0" } });
        for (let v = 1; v <= 1 + (i % 3); v++) {
          obj = await writer.patch({ namespace: ns.name, name }, { type: "merge", patch: { data: { v: String(v) } } });
          updates++;
        }
        lastWrite.set(name, obj.metadata!.resourceVersion!);
        if (i % 4 === 0) {
          await writer.delete({ namespace: ns.name, name });
          lastWrite.set(name, null);
        }
      });
      const deleted = [...lastWrite].filter(([, rv]) => rv === null).map(([name]) => name);
      const server = await serverState();
      expect(server.size).toBe(count - deleted.length);

      // Every object's last reconcile ran after its last write: it saw the final resourceVersion, or the object gone.
      await eventually(() => sameEntries(reconciled, lastWrite), { timeoutMs: 60_000, what: "reconciles to catch up with the writes" });
      const observed = new Map([...reconciled].filter((e): e is [string, string] => e[1] !== null));
      expect(observed).toEqual(server);
      expect(deleted.every((name) => reconciled.get(name) === null)).toBe(true);
      expect(storeState(informer.store, ns.name)).toEqual(server);
      // The handlers were told of each write once: no event collapsed or lost, none invented.
      expect(events).toEqual({ added: count, updated: updates, deleted: deleted.length });
    } finally {
      stop.abort();
      await running;
      manager.rest.close();
    }
  });

  const cluster = localCluster();
  it.skipIf(!cluster)("recovers by itself when kube-apiserver is killed and restarted mid-stream", async () => {
    // The informer watches through an API server of its own; the writes go through the main one.
    const apiserver = await startExtraApiServer(cluster!, `e2e-apiserver-${ns.name}`);
    const rest = new RestClient(loadKubeConfig(apiserver.kubeconfig), "e2e-informer-restart");
    const informer = new Informer<ConfigMap>({ resource: "configmaps", transport: restListWatch(rest, { ...configMaps, namespace: ns.name }) });
    const told = handlerState(informer);
    informer.start();
    const writes = new ContinuousWriter(writer, ns.name, `${prefix}restart-`);
    try {
      expect(await informer.waitForSync()).toBe(true);
      writes.start(8);
      const after = async (ops: number, what: string) => eventually(() => writes.ops >= ops || writes.failure, { what });
      await after(200, "writes before the kill");
      await apiserver.kill();
      await after(writes.ops + 200, "writes while the API server is down");
      await apiserver.restart();
      await after(writes.ops + 200, "writes after the restart");
      await writes.stop();

      const server = await serverState();
      expect(server.size).toBeGreaterThan(0);
      await eventually(() => sameEntries(storeState(informer.store, ns.name), server), { timeoutMs: 90_000, what: "the cache to equal the server's list" });
      expect(told).toEqual(server);
      // It did lose the API server (the watch broke and reconnects were refused), and recovered without help.
      const host = `127.0.0.1:${apiserver.port}`;
      expect(await metricValue("rest_client_requests_total", { code: "<error>", method: "GET", host })).toBeGreaterThan(0);
    } finally {
      await writes.stop().catch(() => undefined);
      await informer.stop();
      rest.close();
      await apiserver.stop();
    }
  });
});

/** Counts the handler calls for our objects in `namespace`. */
function countEvents(informer: Informer<ConfigMap>, namespace: string): { added: number; updated: number; deleted: number } {
  const counts = { added: 0, updated: 0, deleted: 0 };
  const mine = (o: ConfigMap) => o.metadata?.namespace === namespace && ours(o.metadata.name);
  informer.addEventHandler({
    add: (o) => void (mine(o) && counts.added++),
    update: (_old, o) => void (mine(o) && counts.updated++),
    delete: (o) => void (mine(o) && counts.deleted++),
  });
  return counts;
}

/** The state a consumer of the handlers alone would hold. */
function handlerState(informer: Informer<ConfigMap>): State {
  const state: State = new Map();
  const set = (o: ConfigMap) => ours(o.metadata?.name) && state.set(o.metadata.name, o.metadata.resourceVersion ?? "");
  informer.addEventHandler({ add: set, update: (_old, o) => set(o), delete: (o) => ours(o.metadata?.name) && state.delete(o.metadata.name) });
  return state;
}

function storeState(store: ReadonlyStore<ConfigMap>, namespace: string): State {
  const state: State = new Map();
  for (const o of store.byIndex("namespace", namespace)) if (ours(o.metadata?.name)) state.set(o.metadata.name, o.metadata.resourceVersion ?? "");
  return state;
}

function sameEntries<V>(a: Map<string, V>, b: Map<string, V>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k) === v);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

async function forEachConcurrently<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * Creates, updates and deletes objects from a few concurrent loops until
 * stopped; counts what the server accepted. Failures other than a race with
 * another loop stop it and are reported.
 */
class ContinuousWriter {
  ops = 0;
  failure: unknown;
  private seq = 0;
  private readonly live: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly client: ResourceClient<ConfigMap>,
    private readonly namespace: string,
    private readonly namePrefix: string,
  ) {}

  start(concurrency: number): void {
    this.loops = range(concurrency).map(() => this.loop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
    if (this.failure) throw this.failure;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.failure) {
      try {
        await this.step();
        this.ops++;
      } catch (err) {
        if (!isNotFound(err)) this.failure = err;
      }
    }
  }

  private async step(): Promise<void> {
    const roll = Math.random();
    if (this.live.length < 20 || roll < 0.5) {
      const name = `${this.namePrefix}${this.seq++}`;
      await this.client.create({ metadata: { name, namespace: this.namespace }, data: { v: "0" } });
      this.live.push(name);
    } else if (roll < 0.8) {
      const name = this.live[Math.floor(Math.random() * this.live.length)]!;
      await this.client.patch({ namespace: this.namespace, name }, { type: "merge", patch: { data: { v: String(this.seq++) } } });
    } else {
      // Taken out before the request, so no other loop writes it after its delete.
      const name = this.live.splice(Math.floor(Math.random() * this.live.length), 1)[0]!;
      await this.client.delete({ namespace: this.namespace, name });
    }
  }
}

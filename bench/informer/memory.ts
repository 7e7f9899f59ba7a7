// Measuring process: heap per cached object and initial list time of one
// informer implementation over the benchmark's namespace.
//   argv: <mirrorkube|client-node> <kubeconfig> <namespace> <count>
import { CoreV1Api, makeInformer, type V1ConfigMap } from "@kubernetes/client-node";
import { loadKubeConfig, RestClient } from "../../operators/runtime/client/index.ts";
import { Informer, restListWatch } from "../../operators/runtime/informer/index.ts";
import { benchSelector, configMaps, type ConfigMap } from "./fixture.ts";
import { settledHeapUsed } from "./heap.ts";
import { connectToBenchmark } from "./ipc.ts";

export type Implementation = "mirrorkube" | "client-node";

export interface MemoryResult {
  type: "memory";
  implementation: Implementation;
  objects: number;
  /** Start of the informer until its cache holds the whole list. */
  listMs: number;
  baselineHeapBytes: number;
  syncedHeapBytes: number;
  bytesPerObject: number;
}

/** A started, synced informer: how many objects it caches, and how to stop it. */
interface Synced {
  cached(): number;
  stop(): Promise<void>;
}

const [implementation, kubeconfig, namespace, countArg] = process.argv.slice(2) as [Implementation, string, string, string];
const channel = connectToBenchmark();
const kc = loadKubeConfig(kubeconfig);

// Each implementation makes one request before the baseline, so its HTTP and
// TLS machinery is warm and only the cache grows after it.
async function mirrorkube(): Promise<() => Promise<Synced>> {
  const rest = new RestClient(kc, "bench-informer");
  await rest.request({ method: "GET", path: `/api/v1/namespaces/${namespace}` });
  return async () => {
    const informer = new Informer<ConfigMap>({ resource: "configmaps", transport: restListWatch(rest, { ...configMaps, namespace, labelSelector: benchSelector }) });
    informer.start();
    await informer.waitForSync();
    return { cached: () => informer.store.size, stop: () => informer.stop() };
  };
}

async function clientNode(): Promise<() => Promise<Synced>> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.readNamespace({ name: namespace });
  return async () => {
    const list = () => core.listNamespacedConfigMap({ namespace, labelSelector: benchSelector });
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${namespace}/configmaps`, list, benchSelector);
    informer.on("error", (err: unknown) => console.error("client-node informer error", err));
    await informer.start();
    return { cached: () => informer.list(namespace).length, stop: () => informer.stop() };
  };
}

const start = implementation === "mirrorkube" ? await mirrorkube() : await clientNode();
const baselineHeapBytes = await settledHeapUsed();
const t0 = performance.now();
const informer = await start();
const listMs = performance.now() - t0;
const objects = informer.cached();
const syncedHeapBytes = await settledHeapUsed();
await channel.send({
  type: "memory",
  implementation,
  objects,
  listMs,
  baselineHeapBytes,
  syncedHeapBytes,
  bytesPerObject: (syncedHeapBytes - baselineHeapBytes) / objects,
} satisfies MemoryResult);
if (objects !== Number(countArg)) console.error(`${implementation}: cached ${objects} objects, expected ${countArg}`);
await informer.stop();
process.exit(0);

// The objects the informer benchmark caches, and how they get to the server.
import { randomBytes } from "node:crypto";
import { isNotFound, type KubeObject, type ResourceClient, type ResourceRef } from "../../operators/runtime/client/index.ts";

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export const configMaps: ResourceRef = { group: "", version: "v1", plural: "configmaps", namespaced: true };
/** Selects the benchmark's objects, not the kube-root-ca.crt every namespace gets. */
export const benchSelector = "app=bench";

export const namespaces: ResourceRef = { group: "", version: "v1", plural: "namespaces", namespaced: false };

/**
 * A ConfigMap as an application keeps one: a few labels and ~200 bytes of
 * data. The data differs per object, as real data does, so no two cached
 * objects can share their strings.
 */
export function benchConfigMap(namespace: string, i: number): ConfigMap {
  return {
    metadata: {
      name: `cm-${i}`,
      namespace,
      labels: { app: "bench", tier: `tier-${i % 5}`, shard: `shard-${i % 16}` },
    },
    data: { payload: randomBytes(100).toString("hex") },
  };
}

/** Runs fn(0..count-1) with at most `concurrency` in flight; resolves with the elapsed milliseconds. */
export async function forEachBounded(count: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - start;
}

/** Deletes the namespace and waits (up to `timeoutMs`) until the namespace controller has emptied and removed it. */
export async function deleteNamespace(client: ResourceClient<KubeObject>, name: string, timeoutMs: number): Promise<boolean> {
  await client.delete({ name }).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await client.get({ name });
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

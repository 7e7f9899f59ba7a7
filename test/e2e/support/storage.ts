// What the storage e2e files share: clients for the mirror storage kinds,
// object builders, and reading events.
import { CoreV1Api, type CoreV1Event, type KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { kindRef, kinds, type PersistentVolume, type PersistentVolumeClaim, type Pod, type StorageClass } from "../../../operators/api/index.ts";
import { loadKubeConfig, ResourceClient, RestClient } from "../../../operators/runtime/client/index.ts";
import { eventually } from "./eventually.ts";

type Json = Record<string, unknown>;

export function storageClients(name: string) {
  const rest = new RestClient(loadKubeConfig(inject("kubeconfig")), name);
  return {
    volumes: new ResourceClient<PersistentVolume>(rest, kindRef(kinds.PersistentVolume)),
    claims: new ResourceClient<PersistentVolumeClaim>(rest, kindRef(kinds.PersistentVolumeClaim)),
    classes: new ResourceClient<StorageClass>(rest, kindRef(kinds.StorageClass)),
    pods: new ResourceClient<Pod>(rest, kindRef(kinds.Pod)),
  };
}

export function volume(name: string, size: string, spec: Json = {}, metadata: Json = {}): PersistentVolume {
  return {
    apiVersion: kinds.PersistentVolume.apiVersion,
    kind: "PersistentVolume",
    metadata: { name, ...metadata },
    spec: { capacity: { storage: size }, accessModes: ["ReadWriteOnce"], hostPath: { path: `/mnt/${name}` }, ...spec },
  } as unknown as PersistentVolume;
}

export function claim(namespace: string, name: string, size: string, spec: Json = {}, metadata: Json = {}): PersistentVolumeClaim {
  return {
    apiVersion: kinds.PersistentVolumeClaim.apiVersion,
    kind: "PersistentVolumeClaim",
    metadata: { name, namespace, ...metadata },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } }, ...spec },
  } as unknown as PersistentVolumeClaim;
}

export function storageClass(name: string, fields: Json = {}, metadata: Json = {}): StorageClass {
  return { apiVersion: kinds.StorageClass.apiVersion, kind: "StorageClass", metadata: { name, ...metadata }, provisioner: "mirrorkube.dev/hostpath", ...fields } as unknown as StorageClass;
}

/** Events about one object, by reason; PV events (cluster-scoped) are in "default". */
export async function eventsFor(kc: KubeConfig, namespace: string, name: string, reason: string): Promise<CoreV1Event[]> {
  const core = kc.makeApiClient(CoreV1Api);
  return (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},reason=${reason}` })).items;
}

export function waitForEvent(kc: KubeConfig, namespace: string, name: string, reason: string, timeoutMs?: number): Promise<CoreV1Event> {
  return eventually(async () => (await eventsFor(kc, namespace, name, reason))[0], { what: `${reason} event on ${namespace}/${name}`, timeoutMs });
}

/** Runs `work` over `items` with at most `limit` at once. */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

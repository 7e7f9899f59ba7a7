// The pending Pods the benchmark schedules: N of them, mirror or v1, all
// alike (100m cpu / 128Mi each), labelled so kwok leaves them alone once
// bound: only the scheduling is measured, not what runs afterwards.
import { kindRef, kinds } from "../../operators/api/index.ts";
import { ResourceClient, type KubeObject, type RestClient } from "../../operators/runtime/client/index.ts";

export type Flavour = "mirror" | "builtin";

const v1Pods = { group: "", version: "v1", plural: "pods", namespaced: true } as const;

export function podManifest(flavour: Flavour, namespace: string, i: number): KubeObject {
  return {
    apiVersion: flavour === "mirror" ? kinds.Pod.apiVersion : "v1",
    kind: "Pod",
    metadata: { name: `p-${i}`, namespace, labels: { app: "bench", "mirrorkube.dev/kwok": "inert" } },
    spec: {
      // Mirror Pods default to mirrorkube's scheduler; v1 Pods to kube-scheduler.
      containers: [{ name: "app", image: "registry.invalid/app:1", resources: { requests: { cpu: "100m", memory: "128Mi" } } }],
    },
  } as KubeObject;
}

export function podClient(rest: RestClient, flavour: Flavour): ResourceClient<KubeObject> {
  return new ResourceClient<KubeObject>(rest, flavour === "mirror" ? kindRef(kinds.Pod) : v1Pods);
}

/** Creates `count` pending Pods, `concurrency` requests at a time. */
export async function createPods(rest: RestClient, flavour: Flavour, namespace: string, count: number, concurrency = 32): Promise<void> {
  const client = podClient(rest, flavour);
  let next = 0;
  const worker = async () => {
    while (next < count) await client.create(podManifest(flavour, namespace, next++));
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

// The benchmark's Deployment, as apps/v1 or as apps.mirrorkube.dev: the same
// manifest but for apiVersion (and its own name and labels, so the two never
// select each other's pods), and the moments the benchmark waits for.
import { kindRef, kinds } from "../../operators/api/index.ts";
import { isNotFound, ResourceClient, type KubeObject, type ResourceRef, type RestClient } from "../../operators/runtime/client/index.ts";

export type SideName = "builtin" | "mirror";

export interface BenchDeployment extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    conditions?: { type: string; reason?: string }[];
  };
}

const apps = (plural: string): ResourceRef => ({ group: "apps", version: "v1", plural, namespaced: true });

export class Workload {
  readonly deployments: ResourceClient<BenchDeployment>;
  private readonly pods: ResourceClient<KubeObject>;

  constructor(
    rest: RestClient,
    readonly side: SideName,
    readonly namespace: string,
    readonly replicas: number,
  ) {
    this.deployments = new ResourceClient(rest, side === "builtin" ? apps("deployments") : kindRef(kinds.Deployment));
    this.pods = new ResourceClient(rest, side === "builtin" ? { group: "", version: "v1", plural: "pods", namespaced: true } : kindRef(kinds.Pod));
  }

  get name(): string {
    return `bench-${this.side}`;
  }

  manifest(image: string): BenchDeployment {
    return {
      apiVersion: this.side === "builtin" ? "apps/v1" : kinds.Deployment.apiVersion,
      kind: "Deployment",
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: { app: this.name } },
        // Each side's default scheduler: kube-scheduler for apps/v1 pods, mirrorkube's for mirror pods.
        template: { metadata: { labels: { app: this.name } }, spec: { containers: [{ name: "app", image }] } },
      },
    };
  }

  get(): Promise<BenchDeployment> {
    return this.deployments.get({ namespace: this.namespace, name: this.name });
  }

  /** A new image: a rollout of every replica. Resolves the generation that asks for it. */
  async setImage(image: string): Promise<number> {
    const d = await this.deployments.patch({ namespace: this.namespace, name: this.name }, { type: "json", patch: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: image }] });
    return d.metadata?.generation ?? 0;
  }

  /** Every replica of the current template available, the spec observed, Progressing says NewReplicaSetAvailable. */
  static complete(d: BenchDeployment): boolean {
    const s = d.status ?? {};
    const n = d.spec.replicas;
    return (
      s.observedGeneration === d.metadata?.generation &&
      s.updatedReplicas === n &&
      s.replicas === n &&
      s.availableReplicas === n &&
      !!s.conditions?.some((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable")
    );
  }

  /** Polls (twice a second: a negligible load next to the rollout's) until `done`; resolves the milliseconds since `since`. */
  async until(done: (d: BenchDeployment) => boolean, since: number, timeoutMs: number, onPoll?: (d: BenchDeployment) => void): Promise<number> {
    for (;;) {
      const d = await this.get();
      onPoll?.(d);
      if (done(d)) return performance.now() - since;
      if (performance.now() - since > timeoutMs) throw new Error(`${this.name}: not done after ${timeoutMs / 1000} s; status ${JSON.stringify(d.status)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Deletes the Deployment (its ReplicaSets and pods go by garbage collection) and waits until no pod is left. */
  async remove(timeoutMs: number): Promise<void> {
    try {
      await this.deployments.delete({ namespace: this.namespace, name: this.name }, { propagationPolicy: "Background" });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const deadline = performance.now() + timeoutMs;
    while ((await this.pods.list({ namespace: this.namespace, labelSelector: `app=${this.name}`, limit: 1 })).items.length > 0) {
      if (performance.now() > deadline) throw new Error(`${this.name}: pods still there after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

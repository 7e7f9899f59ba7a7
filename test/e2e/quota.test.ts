import { afterAll, describe, expect, it } from "vitest";
import { kindRef, kinds, type ReplicaSetStatus, type ResourceQuotaStatus } from "../../operators/api/index.ts";
import { ApiError, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// ResourceQuota against the run's shared manager: the usage controller's
// status, and the admission webhook's decisions, seen as a user sees them
// (the API's answers and kubectl's output). Each scenario has its own
// namespace, so its quotas count only its own objects.

const WEBHOOK = "resourcequota.mirrorkube.dev";
/** Nobody schedules these: pods stay Pending, which quota counts as any live pod. */
const UNSCHEDULED = "mirrorkube-e2e-unscheduled";

interface Quota extends KubeObject {
  spec: { hard: Record<string, string | number>; scopes?: string[] };
  status?: ResourceQuotaStatus;
}
interface MirrorPod extends KubeObject {
  spec: Record<string, unknown>;
  status?: { phase?: string };
}
interface MirrorReplicaSet extends KubeObject {
  spec: { replicas: number } & Record<string, unknown>;
  status?: ReplicaSetStatus;
}

describe("ResourceQuota", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-quota");
  const quotas = new ResourceClient<Quota>(rest, kindRef(kinds.ResourceQuota));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const replicaSets = new ResourceClient<MirrorReplicaSet>(rest, kindRef(kinds.ReplicaSet));
  const namespaces: { name: string; remove: () => Promise<void> }[] = [];

  async function namespace(prefix: string): Promise<string> {
    const ns = await testNamespace(kc, prefix);
    namespaces.push(ns);
    return ns.name;
  }

  afterAll(async () => {
    await Promise.all(namespaces.map((ns) => ns.remove()));
    rest.close();
  });

  const quota = (ns: string, name: string, hard: Quota["spec"]["hard"], scopes?: string[]) =>
    quotas.create({ apiVersion: kinds.ResourceQuota.apiVersion, kind: "ResourceQuota", metadata: { name, namespace: ns }, spec: { hard, ...(scopes && { scopes }) } });

  /** The quota once its status satisfies `check`. */
  const quotaWhen = (ns: string, name: string, what: string, check: (s: ResourceQuotaStatus) => boolean, timeoutMs?: number) =>
    eventually(
      async () => {
        const q = await quotas.get({ namespace: ns, name });
        if (q.status && check(q.status)) return q;
        throw new Error(`status is ${JSON.stringify(q.status)}`);
      },
      { what: `quota ${ns}/${name}: ${what}`, ...(timeoutMs && { timeoutMs }) },
    );

  const usedIs = (ns: string, name: string, used: Record<string, string>) =>
    quotaWhen(ns, name, `used ${JSON.stringify(used)}`, (s) => JSON.stringify(Object.entries(s.used ?? {}).sort()) === JSON.stringify(Object.entries(used).sort()));

  type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
  const container = (name: string, resources?: Resources) => ({ name, image: "registry.invalid/app:1", ...(resources && { resources }) });

  const pod = (ns: string, name: string, containers: object[], extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): MirrorPod => ({
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: { name, namespace: ns, labels: { app: "quota", ...labels } },
    spec: { schedulerName: UNSCHEDULED, containers, ...extra },
  });

  /** What kubectl prints for a create the webhook refuses. */
  async function kubectlCreateError(manifest: object): Promise<string> {
    const result = await kubectl(["create", "-f", "-"], JSON.stringify(manifest));
    expect(result.code).not.toBe(0);
    return result.stderr.trim();
  }

  const denial = (resource: string, name: string, message: string) =>
    `Error from server (Forbidden): error when creating "STDIN": admission webhook "${WEBHOOK}" denied the request: ${resource} "${name}" is forbidden: ${message}`;

  it("accounts pods up and back down, leaving terminal pods out of compute usage", async () => {
    const ns = await namespace("quota-pods");
    await quota(ns, "compute", {
      pods: 3,
      "count/pods": 5,
      "requests.cpu": "1",
      "requests.memory": "1Gi",
      "limits.cpu": "2",
      "limits.memory": "2Gi",
      cpu: "1",
      memory: "1Gi",
    });
    const zero = { pods: "0", "count/pods": "0", "requests.cpu": "0", "requests.memory": "0", "limits.cpu": "0", "limits.memory": "0", cpu: "0", memory: "0" };
    await usedIs(ns, "compute", zero);

    const resources = { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };
    await pods.create(pod(ns, "a", [container("app", resources)]));
    await pods.create(pod(ns, "b", [container("app", resources)], { schedulerName: undefined }, { "mirrorkube.dev/kwok": "complete" }));
    const two = { pods: "2", "count/pods": "2", "requests.cpu": "500m", "requests.memory": "256Mi", "limits.cpu": "1", "limits.memory": "512Mi", cpu: "500m", memory: "256Mi" };
    // b runs to completion (kwok): a terminal pod keeps its object count, gives back its compute.
    const afterB = await usedIs(ns, "compute", { ...two, pods: "1", "requests.cpu": "250m", "requests.memory": "128Mi", "limits.cpu": "500m", "limits.memory": "256Mi", cpu: "250m", memory: "128Mi" }).catch(async () => {
      throw new Error(`terminal pod not left out: ${JSON.stringify((await quotas.get({ namespace: ns, name: "compute" })).status)}`);
    });
    expect((await pods.get({ namespace: ns, name: "b" })).status?.phase).toBe("Succeeded");
    expect(afterB.status?.request).toBe("count/pods: 2/5, cpu: 250m/1, memory: 128Mi/1Gi, pods: 1/3, requests.cpu: 250m/1, requests.memory: 128Mi/1Gi");
    expect(afterB.status?.limit).toBe("limits.cpu: 500m/2, limits.memory: 256Mi/2Gi");

    await pods.delete({ namespace: ns, name: "a" });
    await pods.delete({ namespace: ns, name: "b" });
    await usedIs(ns, "compute", zero);
  });

  it("counts every namespaced mirror kind, and refuses the one too many with upstream's text", async () => {
    const ns = await namespace("quota-counts");
    const hard = {
      "count/pods.core.mirrorkube.dev": 9,
      "count/services.core.mirrorkube.dev": 9,
      "count/persistentvolumeclaims": 9,
      "count/replicasets.apps.mirrorkube.dev": 9,
      "count/deployments.apps": 1,
      "count/statefulsets.apps.mirrorkube.dev": 9,
      "count/resourcequotas.core.mirrorkube.dev": 9,
      resourcequotas: 9,
      services: 9,
      "services.nodeports": 9,
      "services.loadbalancers": 9,
      persistentvolumeclaims: 9,
      "requests.storage": "10Gi",
      "gold.storageclass.storage.k8s.io/requests.storage": "5Gi",
      "gold.storageclass.storage.k8s.io/persistentvolumeclaims": 9,
    };
    await quota(ns, "objects", hard);
    await quotaWhen(ns, "objects", "computed", (s) => Object.keys(s.used ?? {}).length === Object.keys(hard).length);

    const create = (kind: keyof typeof kinds, name: string, spec: object) =>
      new ResourceClient<KubeObject>(rest, kindRef(kinds[kind])).create({ apiVersion: kinds[kind].apiVersion, kind, metadata: { name, namespace: ns }, spec } as KubeObject);
    const template = { metadata: { labels: { app: "c" } }, spec: { schedulerName: UNSCHEDULED, containers: [container("app")] } };
    await create("Pod", "p", { schedulerName: UNSCHEDULED, containers: [container("app")] });
    await create("Service", "np", { type: "NodePort", selector: { app: "c" }, ports: [{ name: "a", port: 80 }, { name: "b", port: 81 }] });
    await create("Service", "lb", { type: "LoadBalancer", selector: { app: "c" }, ports: [{ port: 443 }] });
    await create("PersistentVolumeClaim", "gold", { storageClassName: "gold", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });
    await create("PersistentVolumeClaim", "plain", { storageClassName: "", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "512Mi" } } });
    await create("ReplicaSet", "rs", { replicas: 0, selector: { matchLabels: { app: "c" } }, template });
    await create("Deployment", "d", { replicas: 0, selector: { matchLabels: { app: "c" } }, template });
    await create("StatefulSet", "s", { replicas: 0, serviceName: "np", selector: { matchLabels: { app: "c" } }, template });
    await quota(ns, "second", { pods: 100 });

    await usedIs(ns, "objects", {
      "count/pods.core.mirrorkube.dev": "1",
      "count/services.core.mirrorkube.dev": "2",
      "count/persistentvolumeclaims": "2",
      // Ours, and the one the Deployment controller made for d.
      "count/replicasets.apps.mirrorkube.dev": "2",
      "count/deployments.apps": "1",
      "count/statefulsets.apps.mirrorkube.dev": "1",
      "count/resourcequotas.core.mirrorkube.dev": "2",
      resourcequotas: "2",
      services: "2",
      "services.nodeports": "3",
      "services.loadbalancers": "1",
      persistentvolumeclaims: "2",
      "requests.storage": "1536Mi",
      "gold.storageclass.storage.k8s.io/requests.storage": "1Gi",
      "gold.storageclass.storage.k8s.io/persistentvolumeclaims": "1",
    });

    const message = await kubectlCreateError({ apiVersion: kinds.Deployment.apiVersion, kind: "Deployment", metadata: { name: "d2", namespace: ns }, spec: { replicas: 0, selector: { matchLabels: { app: "c" } }, template } });
    expect(message).toBe(
      denial("deployments.apps.mirrorkube.dev", "d2", "exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1"),
    );
  });

  it("refuses a pod that does not declare what the quota tracks, naming every container", async () => {
    const ns = await namespace("quota-missing");
    await quota(ns, "compute", { "requests.cpu": "1", "limits.memory": "1Gi" });
    await quotaWhen(ns, "compute", "computed", (s) => s.used?.["requests.cpu"] === "0");
    // c2's memory limit also defaults its memory request; neither declares cpu.
    const message = await kubectlCreateError(pod(ns, "p", [container("c1"), container("c2", { limits: { memory: "64Mi" } })]));
    expect(message).toBe(denial("pods.core.mirrorkube.dev", "p", "failed quota: compute: must specify limits.memory for: c1; requests.cpu for: c1,c2"));
    await pods.create(pod(ns, "ok", [container("c", { requests: { cpu: "100m" }, limits: { memory: "64Mi" } })]));
    await usedIs(ns, "compute", { "requests.cpu": "100m", "limits.memory": "64Mi" });
  });

  it("applies quotas by scope: BestEffort, NotBestEffort, Terminating", async () => {
    const ns = await namespace("quota-scopes");
    await quota(ns, "best-effort", { pods: 1 }, ["BestEffort"]);
    await quota(ns, "not-best-effort", { pods: 2, "requests.cpu": "1" }, ["NotBestEffort"]);
    await quota(ns, "terminating", { pods: 1 }, ["Terminating"]);
    for (const q of ["best-effort", "not-best-effort", "terminating"]) await quotaWhen(ns, q, "computed", (s) => s.used?.pods === "0");

    await pods.create(pod(ns, "be", [container("app")]));
    await pods.create(pod(ns, "burstable", [container("app", { requests: { cpu: "100m" } })], { activeDeadlineSeconds: 3600 }));
    await usedIs(ns, "best-effort", { pods: "1" });
    await usedIs(ns, "not-best-effort", { pods: "1", "requests.cpu": "100m" });
    await usedIs(ns, "terminating", { pods: "1" });

    // A second best-effort pod exceeds the BestEffort quota only; a burstable one without a deadline fits.
    const message = await kubectlCreateError(pod(ns, "be2", [container("app")]));
    expect(message).toBe(denial("pods.core.mirrorkube.dev", "be2", "exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1"));
    await pods.create(pod(ns, "burstable2", [container("app", { requests: { cpu: "200m" } })]));
    await usedIs(ns, "not-best-effort", { pods: "2", "requests.cpu": "300m" });
    await usedIs(ns, "terminating", { pods: "1" });
  });

  it("shows a ReplicaSet's refused creates as ReplicaFailure, cleared when it fits again", async () => {
    const ns = await namespace("quota-rs");
    await quota(ns, "q", { pods: 2 });
    await quotaWhen(ns, "q", "computed", (s) => s.used?.pods === "0");
    await replicaSets.create({
      apiVersion: kinds.ReplicaSet.apiVersion,
      kind: "ReplicaSet",
      metadata: { name: "web", namespace: ns },
      spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [container("app")] } } },
    });
    const failing = await eventually(
      async () => {
        const rs = await replicaSets.get({ namespace: ns, name: "web" });
        return rs.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True") ? rs : undefined;
      },
      { what: "ReplicaFailure=True on web" },
    );
    const condition = failing.status?.conditions?.find((c) => c.type === "ReplicaFailure");
    expect(condition?.reason).toBe("FailedCreate");
    expect(condition?.message).toMatch(
      new RegExp(`^admission webhook "${WEBHOOK.replace(/\./g, "\\.")}" denied the request: pods\\.core\\.mirrorkube\\.dev "web-[a-z0-9]{5}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2$`),
    );
    expect((await pods.list({ namespace: ns })).items).toHaveLength(2);
    await usedIs(ns, "q", { pods: "2" });

    await replicaSets.patch({ namespace: ns, name: "web" }, { type: "merge", patch: { spec: { replicas: 2 } } });
    await eventually(
      async () => {
        const rs = await replicaSets.get({ namespace: ns, name: "web" });
        return !rs.status?.conditions?.some((c) => c.type === "ReplicaFailure") && rs.status?.replicas === 2;
      },
      { what: "ReplicaFailure cleared on web" },
    );
  });

  it("admits exactly 10 of 100 pods created at once against pods=10, and gives the units back on deletion", async () => {
    const ns = await namespace("quota-burst");
    await quota(ns, "ten", { pods: 10 });
    await quotaWhen(ns, "ten", "computed", (s) => s.used?.pods === "0");
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => pods.create(pod(ns, `p-${i}`, [container("app")]))));
    const admitted = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    expect(admitted).toHaveLength(10);
    expect(refused).toHaveLength(90);
    for (const err of refused) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(403);
      expect((err as ApiError).message).toMatch(/is forbidden: exceeded quota: ten, requested: pods=1, used: pods=10, limited: pods=10$/);
    }
    expect((await pods.list({ namespace: ns })).items).toHaveLength(10);
    await usedIs(ns, "ten", { pods: "10" });

    await Promise.all(admitted.map((r) => pods.delete({ namespace: ns, name: (r as PromiseFulfilledResult<MirrorPod>).value.metadata?.name ?? "" })));
    await usedIs(ns, "ten", { pods: "0" });
  });
});

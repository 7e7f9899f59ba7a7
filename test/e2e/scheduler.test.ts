import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { kindRef, kinds, type Pod, type PodInput } from "../../operators/api/index.ts";
import { loadKubeConfig, ResourceClient, RestClient } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";
import { metricValue } from "./support/manager-process.ts";
import { createPool, poolToleration } from "./support/nodes.ts";

// mirrorkube's scheduler and the kube-scheduler extender, on a private pool
// of kwok nodes (4 cpu, 8Gi, 20 pods each) that only this file's pods use.
describe("scheduler", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const pods = new ResourceClient<Pod>(new RestClient(loadKubeConfig(inject("kubeconfig"))), kindRef(kinds.Pod));
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let pool: Awaited<ReturnType<typeof createPool>>;
  let poolName: string;

  /** A mirror Pod on the pool: it selects and tolerates it. */
  const mirrorPod = (name: string, spec: Partial<NonNullable<PodInput["spec"]>> = {}, cpu = "100m"): Pod =>
    ({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name, namespace: ns.name, labels: { app: name } },
      spec: {
        nodeSelector: { "mirrorkube.dev/pool": poolName },
        tolerations: [poolToleration(poolName)],
        containers: [{ name: "app", image: "registry.invalid/app:1", resources: { requests: { cpu, memory: "64Mi" } } }],
        ...spec,
      },
    }) as unknown as Pod;

  const get = (name: string) => pods.get({ namespace: ns.name, name });
  const boundNode = (name: string) => eventually(async () => (await get(name)).spec.nodeName, { what: `${name} bound` });
  const unschedulable = (name: string) =>
    eventually(
      async () => {
        const c = (await get(name)).status?.conditions?.find((x) => x.type === "PodScheduled");
        return c?.status === "False" && c.reason === "Unschedulable" ? c.message : undefined;
      },
      { what: `${name} PodScheduled=False Unschedulable` },
    );
  const failedScheduling = (name: string) =>
    eventually(async () => (await core.listNamespacedEvent({ namespace: ns.name, fieldSelector: `involvedObject.name=${name},reason=FailedScheduling` })).items[0], {
      what: `FailedScheduling event for ${name}`,
    });

  beforeAll(async () => {
    ns = await testNamespace(kc, "sched");
    poolName = ns.name;
    pool = await createPool(kc, poolName, 2);
  });
  afterAll(async () => {
    await ns?.remove();
    await pool?.remove();
  });

  it("runs an applied mirror Pod within seconds and shows it like kubectl does", async () => {
    await pods.create(mirrorPod("web"));
    const pod = await eventually(async () => {
      const p = await get("web");
      return p.status?.phase === "Running" && p.status.podIP ? p : undefined;
    }, { what: "web Running with an IP" });
    expect(pool.names).toContain(pod.spec.nodeName);
    expect(pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.status).toBe("True");
    const scheduled = await eventually(async () => (await core.listNamespacedEvent({ namespace: ns.name, fieldSelector: "involvedObject.name=web,reason=Scheduled" })).items[0], { what: "Scheduled event" });
    expect(scheduled.message).toBe(`Successfully assigned ${ns.name}/web to ${pod.spec.nodeName}`);
    const wide = await kubectl(["get", "mpods", "-n", ns.name, "-o", "wide"]);
    expect(wide.stdout.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE/);
    expect(wide.stdout).toMatch(new RegExp(`^web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${pod.status?.podIP?.replaceAll(".", "\\.")}\\s+${pod.spec.nodeName}`, "m"));
    const del = await kubectl(["delete", "mpod", "web", "-n", ns.name]);
    expect(del.code, del.stderr).toBe(0);
    await eventually(async () => (await core.listNamespacedPod({ namespace: ns.name, fieldSelector: "metadata.name=web" })).items.length === 0, { what: "real pod web gone" });
    await eventually(async () => (await pods.list({ namespace: ns.name, fieldSelector: "metadata.name=web" })).items.length === 0, { what: "mirror pod web gone" });
  });

  it("leaves a pod that fits nowhere Pending with the upstream message", async () => {
    // Tolerates everything and selects nothing: every node in the cluster is a candidate and is too small.
    await pods.create(mirrorPod("huge", { nodeSelector: {}, tolerations: [{ operator: "Exists" }] }, "1000"));
    const message = await unschedulable("huge");
    expect(message).toMatch(/^0\/(\d+) nodes are available: \1 Insufficient cpu\.$/);
    const event = await failedScheduling("huge");
    expect(event.type).toBe("Warning");
    expect(event.message).toBe(message);
  });

  it("honours nodeSelector", async () => {
    await pods.create(mirrorPod("pinned", { nodeSelector: { "kubernetes.io/hostname": pool.names[1]! } }));
    expect(await boundNode("pinned")).toBe(pool.names[1]);
  });

  it("honours taints and tolerations, and cordoned nodes", async () => {
    const [a, b] = pool.names as [string, string];
    await core.patchNode({ name: a, body: [{ op: "add", path: "/spec/taints/-", value: { key: "dedicated", value: "db", effect: "NoSchedule" } }] });
    await core.patchNode({ name: b, body: [{ op: "add", path: "/spec/unschedulable", value: true }] });
    try {
      await pods.create(mirrorPod("no-toleration"));
      const msg = await unschedulable("no-toleration");
      expect(msg).toContain("1 node(s) had untolerated taint {dedicated: db}");
      expect(msg).toContain("1 node(s) were unschedulable");
      await pods.create(mirrorPod("tolerates", { tolerations: [poolToleration(poolName), { key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" } as const] }));
      expect(await boundNode("tolerates")).toBe(a);
    } finally {
      await core.patchNode({ name: a, body: [{ op: "remove", path: "/spec/taints/1" }] });
      await core.patchNode({ name: b, body: [{ op: "remove", path: "/spec/unschedulable" }] });
    }
    // Uncordoning is a node event: the parked pod is retried and lands.
    expect(pool.names).toContain(await boundNode("no-toleration"));
  });

  it("never binds two pods with the same host port to one node", async () => {
    const withPort = (name: string) => mirrorPod(name, { containers: [{ name: "app", image: "registry.invalid/app:1", ports: [{ containerPort: 80, hostPort: 8080 }] }] });
    await pods.create(withPort("port-1"));
    await pods.create(withPort("port-2"));
    const nodes = [await boundNode("port-1"), await boundNode("port-2")];
    expect(new Set(nodes).size).toBe(2);
    await pods.create(withPort("port-3"));
    expect(await unschedulable("port-3")).toContain("2 node(s) didn't have free ports for the requested pod ports");
  });

  it("spreads 4 pods 2+2 over 2 nodes with a topology spread constraint", async () => {
    const spread = (name: string) =>
      mirrorPod(name, {
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { group: "spread" } } }],
      });
    for (let i = 0; i < 4; i++) await pods.create({ ...spread(`spread-${i}`), metadata: { name: `spread-${i}`, namespace: ns.name, labels: { group: "spread" } } });
    const placed = await Promise.all([0, 1, 2, 3].map((i) => boundNode(`spread-${i}`)));
    expect(pool.names.map((n) => placed.filter((p) => p === n).length)).toEqual([2, 2]);
  });

  it("leaves the third pod Pending under required anti-affinity on two nodes", async () => {
    const anti = (name: string) => ({
      ...mirrorPod(name, {
        affinity: {
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { group: "anti" } } }] },
        },
      }),
      metadata: { name, namespace: ns.name, labels: { group: "anti" } },
    });
    await pods.create(anti("anti-0"));
    await pods.create(anti("anti-1"));
    expect(new Set([await boundNode("anti-0"), await boundNode("anti-1")]).size).toBe(2);
    await pods.create(anti("anti-2"));
    expect(await unschedulable("anti-2")).toContain("2 node(s) didn't match pod anti-affinity rules");
  });

  it("prefers the emptier node (LeastAllocated)", async () => {
    // Fill one node more than the other, then a small pod goes to the other.
    const [a, b] = pool.names as [string, string];
    await pods.create(mirrorPod("heavy", { nodeSelector: { "kubernetes.io/hostname": a } }, "2"));
    await boundNode("heavy");
    const load = async (node: string) =>
      (await pods.list({ namespace: ns.name })).items.filter((p) => p.spec.nodeName === node).length;
    for (let i = 0; i < 3; i++) {
      await pods.create(mirrorPod(`light-${i}`, {}, "100m"));
      expect(await boundNode(`light-${i}`)).toBe(b);
    }
    expect(await load(b)).toBeGreaterThan(0);
  });

  it("makes kube-scheduler respect capacity held by a bound mirror Pod, through the extender", async () => {
    const [a] = pool.names as [string];
    // Start from an empty pool: earlier cases left pods on it.
    for (const p of (await pods.list({ namespace: ns.name })).items) await pods.delete({ namespace: ns.name, name: p.metadata.name ?? "" });
    await eventually(async () => (await core.listNamespacedPod({ namespace: ns.name })).items.length === 0, { what: "pool emptied", timeoutMs: 60_000 });
    // A foreign real Pod of the same name keeps the realizer away (and itself
    // stays unscheduled), so the mirror Pod is bound but not realized: only
    // mirrorkube's accounting knows the 3 cpu it holds on node a.
    await core.createNamespacedPod({
      namespace: ns.name,
      body: { metadata: { name: "holder" }, spec: { nodeSelector: { "mirrorkube.dev/none": "x" }, containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
    });
    await pods.create(mirrorPod("holder", { nodeSelector: { "kubernetes.io/hostname": a } }, "3500m"));
    expect(await boundNode("holder")).toBe(a);
    const metricsPort = inject("managerMetricsPort");
    const calls = async () => metricValue(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), 'mirrorkube_extender_requests_total{verb="filter",code="200"}') ?? 0;
    const before = await calls();
    const real: V1Pod = {
      metadata: { name: "real-guest" },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": a },
        tolerations: [poolToleration(poolName)],
        containers: [{ name: "app", image: "registry.invalid/app:1", resources: { requests: { cpu: "1" } } }],
      },
    };
    await core.createNamespacedPod({ namespace: ns.name, body: real });
    const event = await eventually(async () => (await core.listNamespacedEvent({ namespace: ns.name, fieldSelector: "involvedObject.name=real-guest,reason=FailedScheduling" })).items[0], {
      what: "kube-scheduler's FailedScheduling for real-guest",
    });
    expect(event.message).toContain("Insufficient cpu");
    expect((await core.readNamespacedPod({ name: "real-guest", namespace: ns.name })).spec?.nodeName).toBeUndefined();
    expect(await calls()).toBeGreaterThan(before);
    // Freeing the mirror Pod's capacity lets kube-scheduler place it.
    await pods.delete({ namespace: ns.name, name: "holder" });
    await eventually(async () => (await core.readNamespacedPod({ name: "real-guest", namespace: ns.name })).spec?.nodeName === a, {
      what: "real-guest bound once the mirror Pod is gone",
      timeoutMs: 60_000,
    });
  });
});

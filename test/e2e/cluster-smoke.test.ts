import { AppsV1Api, AuthenticationV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesVersion } from "../../hack/cluster/build.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The local control plane behaves as a real cluster: these are the built-in
// controllers and components mirrorkube stands on and is compared against.
describe("local control plane", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "smoke");
  });
  afterAll(async () => ns?.remove());

  it("has Ready kwok nodes with capacity", async () => {
    const nodes = await core.listNode({ labelSelector: "type=kwok" });
    expect(nodes.items.length).toBeGreaterThanOrEqual(1);
    for (const node of nodes.items) {
      const ready = node.status?.conditions?.find((c) => c.type === "Ready");
      expect(ready?.status, node.metadata?.name).toBe("True");
      expect(node.status?.allocatable?.cpu).toBeDefined();
      expect(node.status?.allocatable?.pods).toBeDefined();
    }
  });

  it.skipIf(!!process.env.KUBECONFIG)("is the Kubernetes version hack/ builds, server and kubectl alike", async () => {
    const res = await kubectl(["version", "-o", "json"]);
    expect(res.code, res.stderr).toBe(0);
    const version = JSON.parse(res.stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
    expect(version.serverVersion.gitVersion).toBe(kubernetesVersion);
    expect(version.clientVersion.gitVersion).toBe(kubernetesVersion);
  });

  it("schedules a plain Pod with kube-scheduler and runs it to Running with a pod IP", async () => {
    await core.createNamespacedPod({
      namespace: ns.name,
      body: { metadata: { name: "plain" }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
    });
    const pod: V1Pod = await eventually(
      async () => {
        const p = await core.readNamespacedPod({ name: "plain", namespace: ns.name });
        return p.status?.phase === "Running" && p.status.podIP ? p : undefined;
      },
      { what: "pod plain Running with an IP" },
    );
    expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
    expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    const events = await core.listNamespacedEvent({ namespace: ns.name, fieldSelector: "involvedObject.name=plain,reason=Scheduled" });
    expect(events.items[0]?.message).toBe(`Successfully assigned ${ns.name}/plain to ${pod.spec?.nodeName}`);
  });

  it("runs the built-in Deployment and ReplicaSet controllers", async () => {
    const labels = { app: "builtin" };
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: {
        metadata: { name: "builtin" },
        spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } } },
      },
    });
    await eventually(async () => (await apps.readNamespacedDeployment({ name: "builtin", namespace: ns.name })).status?.availableReplicas === 2, {
      what: "deployment builtin available 2",
    });
  });

  it("garbage-collects dependents when their owner is deleted", async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns.name, body: { metadata: { name: "owner" } } });
    await core.createNamespacedConfigMap({
      namespace: ns.name,
      body: {
        metadata: {
          name: "dependent",
          ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata!.uid! }],
        },
      },
    });
    await core.deleteNamespacedConfigMap({ name: "owner", namespace: ns.name });
    await eventually(
      async () => {
        try {
          await core.readNamespacedConfigMap({ name: "dependent", namespace: ns.name });
          return false;
        } catch (err) {
          return (err as { code?: number }).code === 404;
        }
      },
      { what: "dependent configmap to be garbage-collected" },
    );
  });

  it("issues a service account token the apiserver accepts", async () => {
    const token = await core.createNamespacedServiceAccountToken({
      name: "default",
      namespace: ns.name,
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    expect(token.status?.token).toMatch(/^ey/);
    const review = await kc.makeApiClient(AuthenticationV1Api).createTokenReview({ body: { spec: { token: token.status!.token } } });
    expect(review.status?.authenticated).toBe(true);
    expect(review.status?.user?.username).toBe(`system:serviceaccount:${ns.name}:default`);
  });
});

import { Resolver } from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds, type DeploymentStatus } from "../../operators/api/index.ts";
import { ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { nodePodCIDR } from "../../hack/cluster/real-node/components.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { answeredBy, busybox, clusterDNS, findRealNode, frontService, get, onRealNode, page, readinessProbe, SKIP_REASON, type FrontService } from "./support/real-node.ts";

// A mirror Deployment on the real node: its pods are real containers
// (hack/images' busybox serving "<PAGE> from <pod name>"), a Service in front
// of them is routed by kube-proxy, and the host talks to both over the pod
// network. Everything mirrorkube does is observed through what answers HTTP.

interface MirrorDeployment extends KubeObject {
  spec: { replicas: number; template: { metadata?: Record<string, unknown>; spec: Record<string, unknown> & { containers: { env: { name: string; value: string }[] }[] } } } & Record<string, unknown>;
  status?: DeploymentStatus;
}
interface MirrorPod extends KubeObject {
  spec: { nodeName?: string };
  status?: { phase?: string; podIP?: string; containerStatuses?: { containerID?: string; ready?: boolean }[] };
}

const kc = kubeConfig();
const realNode = await findRealNode(kc);
const dnsIP = realNode && (await clusterDNS(kc));
const subnet = nodePodCIDR.replace(/0\/24$/, "");

describe.skipIf(!realNode)(realNode ? "a mirror Deployment and Service on the real node" : `real node: skipped, ${SKIP_REASON}`, () => {
  const rest = new RestClient(kc, "e2e-real-node-service");
  const deployments = new ResourceClient<MirrorDeployment>(rest, kindRef(kinds.Deployment));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let service: FrontService;
  const url = () => `http://${service.clusterIP}/`;

  beforeAll(async () => {
    ns = await testNamespace(kc, "real-svc");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  const get_ = () => deployments.get({ namespace: ns.name, name: "web" });
  const update = (change: (d: MirrorDeployment) => void) =>
    eventually(
      async () => {
        const d = await get_();
        change(d);
        return deployments.update(d);
      },
      { what: "an update of the Deployment web" },
    );

  /** The Deployment's rollout is complete: every replica updated and available. */
  const rolledOut = (replicas: number) =>
    eventually(
      async () => {
        const d = await get_();
        const s = d.status;
        const done = s?.observedGeneration === d.metadata?.generation && s?.replicas === replicas && s?.updatedReplicas === replicas && s?.availableReplicas === replicas;
        return done ? d : undefined;
      },
      { what: `web rolled out with ${replicas} available replicas`, timeoutMs: 120_000 },
    );

  /** The running mirror pods of web, not terminating. */
  const webPods = async () => (await pods.list({ namespace: ns.name, labelSelector: "app=web" })).items.filter((p) => !p.metadata?.deletionTimestamp);

  /** Who answers `n` requests to the Service (a pod name each, or the failure). */
  async function answers(n: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await get(url());
      out.push("status" in res && res.status === 200 ? answeredBy(res.body) : `failed: ${JSON.stringify(res)}`);
    }
    return out;
  }

  it("becomes Available with 3 replicas that are real containers with pod IPs on the real node", async () => {
    await deployments.create({
      apiVersion: kinds.Deployment.apiVersion,
      kind: "Deployment",
      metadata: { name: "web", namespace: ns.name },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "web" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            ...onRealNode,
            // preStop keeps an old pod serving until kube-proxy stopped sending it requests.
            containers: [busybox({ PAGE: "v1" }, { readinessProbe, lifecycle: { preStop: { exec: { command: ["sleep", "5"] } } } })],
          },
        },
      },
    });
    await rolledOut(3);
    const running = await webPods();
    expect(running).toHaveLength(3);
    for (const p of running) {
      expect(p.spec.nodeName).toBe(realNode!.metadata?.name);
      expect(p.status?.podIP?.startsWith(subnet), `${p.metadata?.name} has a pod IP of the real node: ${p.status?.podIP}`).toBe(true);
      expect(p.status?.containerStatuses?.[0]?.containerID).toMatch(/^containerd:\/\/[0-9a-f]{64}$/);
      // The host reaches the pod over the CNI bridge, and the container says who it is.
      expect(await page(`http://${p.status?.podIP}/`)).toBe(`v1 from ${p.metadata?.name}`);
    }
  });

  it("answers on the Service's ClusterIP from the host, and all 3 pods answer", async () => {
    service = await frontService(rest, ns.name, "web", { app: "web" });
    console.info(`real-node-service: ${service.mirror ? "a mirror Service (its real Service made by the service controller)" : "a real v1 Service (the manager has no service controller yet)"} at ${service.clusterIP}`);
    const names = (await webPods()).map((p) => p.metadata?.name).sort();
    // kube-proxy picks an endpoint at random per connection: 60 connections miss one of 3 with odds of 3·(2/3)^60.
    const seen = await eventually(
      async () => {
        const got = await answers(60);
        return [...new Set(got)].sort().join() === names.join() ? got : undefined;
      },
      { what: `all of ${names.join(", ")} answering on ${service.clusterIP}`, timeoutMs: 60_000 },
    );
    expect(seen.filter((a) => a.startsWith("failed"))).toEqual([]);
  });

  it.skipIf(!dnsIP)(dnsIP ? "resolves web.<namespace>.svc through cluster DNS, from the host and from inside a pod" : "cluster DNS: skipped, no kube-system/kube-dns Service", async () => {
    const resolver = new Resolver();
    resolver.setServers([dnsIP!]);
    const name = `web.${ns.name}.svc.cluster.local`;
    expect(await eventually(() => resolver.resolve4(name), { what: `${name} resolving` })).toEqual([service.clusterIP]);
    // A pod fetches through its own resolv.conf (search <ns>.svc.cluster.local ...): pod → DNS → ClusterIP → a pod.
    const [client] = await webPods();
    for (const url of [`http://web.${ns.name}.svc/`, "http://web/"]) {
      const body = await page(`http://${client!.status!.podIP}/cgi-bin/control?get=${url}`);
      expect(body, `GET ${url} from ${client!.metadata?.name}`).toMatch(/^v1 from web-/);
    }
  });

  it("answers from 1 pod after scaling to 1, and from 3 again, new ones among them, after scaling back", async () => {
    const before = (await webPods()).map((p) => p.metadata?.name ?? "");
    await update((d) => (d.spec.replicas = 1));
    await rolledOut(1);
    const [survivor] = (await webPods()).map((p) => p.metadata?.name ?? "");
    expect(before).toContain(survivor);
    await eventually(async () => (await answers(20)).every((a) => a === survivor), { what: `only ${survivor} answering`, timeoutMs: 30_000 });

    await update((d) => (d.spec.replicas = 3));
    await rolledOut(3);
    const after = (await webPods()).map((p) => p.metadata?.name ?? "").sort();
    expect(after).toContain(survivor);
    expect(after.filter((n) => !before.includes(n))).toHaveLength(2);
    await eventually(async () => [...new Set(await answers(60))].sort().join() === after.join(), { what: `all of ${after.join(", ")} answering`, timeoutMs: 60_000 });
  });

  it("rolls out new page content with no failed request (maxUnavailable 0, readiness probe)", async () => {
    const results: string[] = [];
    let stop = false;
    // Requests back to back, each on its own connection, for the whole rollout.
    const load = (async () => {
      while (!stop) {
        const res = await get(url());
        results.push("status" in res && res.status === 200 ? res.body.split(" from ")[0]! : `failed: ${JSON.stringify(res)}`);
      }
    })();
    try {
      await eventually(() => results.length >= 20, { what: "the first answers" });
      await update((d) => (d.spec.template.spec.containers[0]!.env = [{ name: "PAGE", value: "v2" }]));
      await rolledOut(3);
      // The rollout is complete once every old pod is gone; then only v2 answers.
      await eventually(() => results.length >= 20 && results.slice(-20).every((r) => r === "v2"), { what: "only v2 answering", timeoutMs: 30_000 });
    } finally {
      stop = true;
      await load;
    }
    expect(results.filter((r) => r.startsWith("failed"))).toEqual([]);
    expect(results[0]).toBe("v1");
    expect(results.at(-1)).toBe("v2");
    expect(results.length).toBeGreaterThan(100);
  });
});

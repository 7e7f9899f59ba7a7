import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds, type PodStatus } from "../../operators/api/index.ts";
import { ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";
import {
  answeredBy,
  busybox,
  containerMemoryLimit,
  findRealNode,
  frontService,
  get,
  livenessProbe,
  onRealNode,
  page,
  readinessProbe,
  readyEndpoints,
  SKIP_REASON,
  type FrontService,
} from "./support/real-node.ts";

// Mirror Pods on the real node, where the kubelet runs their containers:
// restarts after an exit and after a failed liveness probe, readiness that
// takes a pod out of its Service, a memory limit in the container's cgroup
// and the OOM kill past it. Each shows in the mirror Pod's status, copied
// from the real Pod by the realizer.

interface MirrorPod extends KubeObject {
  spec: Record<string, unknown>;
  status?: PodStatus;
}
interface MirrorService extends KubeObject {
  status?: { endpointSlices?: { endpoints: { addresses: string[]; conditions?: { ready?: boolean } }[] }[] };
}

const kc = kubeConfig();
const realNode = await findRealNode(kc);
const MiB = 1024 * 1024;

describe.skipIf(!realNode)(realNode ? "mirror Pods' containers on the real node" : `real node: skipped, ${SKIP_REASON}`, () => {
  const rest = new RestClient(kc, "e2e-real-node-lifecycle");
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const services = new ResourceClient<MirrorService>(rest, kindRef(kinds.Service));
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "real-life");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  const create = (name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}) =>
    pods.create({ apiVersion: kinds.Pod.apiVersion, kind: "Pod", metadata: { name, namespace: ns.name, labels: { app: name, ...labels } }, spec: { ...onRealNode, ...spec } });

  /** The mirror Pod once `check` holds for it. */
  const mirrorWhen = (name: string, what: string, check: (s: PodStatus) => boolean | undefined, timeoutMs = 60_000) =>
    eventually(
      async () => {
        const p = await pods.get({ namespace: ns.name, name });
        return p.status && check(p.status) ? p : undefined;
      },
      { what: `mirror Pod ${name}: ${what}`, timeoutMs },
    );
  const ready = (s: PodStatus) => s.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  const podIP = async (name: string) => (await mirrorWhen(name, "Running and Ready", (s) => s.phase === "Running" && ready(s))).status!.podIP!;

  it("restarts a container that exits, and the restart count shows in the mirror Pod", async () => {
    await create("exits", { containers: [busybox({ EXIT_AFTER: "1", EXIT_CODE: "3" })] });
    const p = await mirrorWhen("exits", "restarted after exiting with 3", (s) => {
      const c = s.containerStatuses?.[0];
      return (c?.restartCount ?? 0) >= 1 && c?.lastState?.terminated?.exitCode === 3;
    });
    const c = p.status!.containerStatuses![0]!;
    expect(c.lastState?.terminated?.reason).toBe("Error");
    expect(p.status!.restarts).toBe(c.restartCount);
    // kubectl shows it as for a built-in Pod.
    const out = await kubectl(["get", "mpod", "exits", "-n", ns.name]);
    expect(out.stdout).toMatch(/^exits\s+\S+\s+\S+\s+[1-9]\d*( \(.+ ago\))?\s+/m);
  });

  it("restarts a container whose liveness probe fails", async () => {
    await create("liveness", { containers: [busybox({}, { livenessProbe })] });
    const ip = await podIP("liveness");
    expect(await page(`http://${ip}/healthz`)).toBe("ok");
    expect(await page(`http://${ip}/cgi-bin/control?unhealthy`)).toBe("unhealthy on liveness");
    const p = await mirrorWhen("liveness", "restarted", (s) => (s.containerStatuses?.[0]?.restartCount ?? 0) >= 1);
    expect(p.status!.restarts).toBeGreaterThanOrEqual(1);
    // A new container: its /healthz is back.
    await eventually(async () => (await page(`http://${ip}/healthz`)) === "ok", { what: "the restarted container healthy" });
    const events = await eventually(
      async () => {
        const list = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace: ns.name, fieldSelector: "involvedObject.name=liveness,reason=Unhealthy" });
        return list.items.length > 0 ? list.items : undefined;
      },
      { what: "the kubelet's Unhealthy event" },
    );
    expect(events[0]?.message).toMatch(/^Liveness probe failed: HTTP probe failed with statuscode: 404/);
  });

  it("takes a pod whose readiness probe fails out of the Service's endpoints, and back when it passes", async () => {
    for (const name of ["ready-a", "ready-b"]) await create(name, { containers: [busybox({}, { readinessProbe })] }, { group: "ready" });
    const [a, b] = [await podIP("ready-a"), await podIP("ready-b")];
    const service: FrontService = await frontService(rest, ns.name, "ready", { group: "ready" });
    await eventually(async () => (await readyEndpoints(rest, ns.name, "ready")).join() === [a, b].sort().join(), { what: "both pods in the endpoints" });

    expect(await page(`http://${a}/cgi-bin/control?unready`)).toBe("unready on ready-a");
    await mirrorWhen("ready-a", "not Ready", (s) => !ready(s) && s.phase === "Running");
    await eventually(async () => (await readyEndpoints(rest, ns.name, "ready")).join() === b, { what: "only ready-b in the endpoints" });
    if (service.mirror) {
      // The mirror Service publishes the same in its status.
      await eventually(
        async () => {
          const s = await services.get({ namespace: ns.name, name: "ready" });
          const eps = s.status?.endpointSlices?.flatMap((sl) => sl.endpoints) ?? [];
          return eps.find((e) => e.addresses.includes(a))?.conditions?.ready === false && eps.find((e) => e.addresses.includes(b))?.conditions?.ready === true;
        },
        { what: "the mirror Service's status: ready-a not ready" },
      );
    }
    // kube-proxy follows: every request goes to ready-b.
    await eventually(
      async () => {
        for (let i = 0; i < 20; i++) {
          const res = await get(`http://${service.clusterIP}/`);
          if (!("status" in res) || answeredBy(res.body) !== "ready-b") return false;
        }
        return true;
      },
      { what: "only ready-b answering on the ClusterIP" },
    );

    expect(await page(`http://${a}/cgi-bin/control?ready`)).toBe("ready on ready-a");
    await mirrorWhen("ready-a", "Ready again", (s) => !!ready(s));
    await eventually(async () => (await readyEndpoints(rest, ns.name, "ready")).join() === [a, b].sort().join(), { what: "ready-a back in the endpoints" });
  });

  it("puts a container's memory limit into its cgroup, and OOM-kills it past the limit", async () => {
    const resources = (mem: string) => ({ requests: { cpu: "50m", memory: mem }, limits: { cpu: "200m", memory: mem } });
    await create("holds", { containers: [busybox({ ALLOCATE_MB: "16" }, { resources: resources("64Mi") })] });
    const holds = await mirrorWhen("holds", "Running", (s) => s.phase === "Running" && !!s.containerStatuses?.[0]?.state?.running);
    const limit = containerMemoryLimit(holds.status!.containerStatuses![0]!.containerID!);
    expect(limit, "the container's memory cgroup is on this machine").toBeDefined();
    expect(limit).toBe(64 * MiB);

    await create("oom", { restartPolicy: "Never", containers: [busybox({ ALLOCATE_MB: "128" }, { resources: resources("32Mi") })] });
    const oom = await mirrorWhen("oom", "Failed, OOMKilled", (s) => s.phase === "Failed");
    const terminated = oom.status!.containerStatuses![0]!.state?.terminated;
    expect(terminated?.reason).toBe("OOMKilled");
    expect(terminated?.exitCode).toBe(137);
    expect(oom.status!.display).toBe("OOMKilled");
    // The pod that stayed below its limit is unharmed.
    expect((await pods.get({ namespace: ns.name, name: "holds" })).status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds, type EndpointSlice, type ServiceStatus } from "../../operators/api/index.ts";
import { isNotFound, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";

// The service controller in the run's shared manager, observed through the
// API: mirror Pods run through the scheduler, the realizer and kwok; the
// mirror Service publishes their endpoints in status and keeps a real v1
// Service over the realized Pods.

const KWOK = "mirrorkube.dev/kwok";
const HOLD = "e2e.mirrorkube.dev/hold";

interface MirrorService extends KubeObject {
  spec: Record<string, unknown> & { clusterIP?: string; clusterIPs?: string[] };
  status?: ServiceStatus;
}
interface RealService extends KubeObject {
  spec?: { type?: string; clusterIP?: string; selector?: Record<string, string>; sessionAffinity?: string; externalName?: string; publishNotReadyAddresses?: boolean; ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; nodePort?: number }[] };
}
interface MirrorPod extends KubeObject {
  spec: Record<string, unknown>;
  status?: { podIP?: string };
}
interface RealSlice extends KubeObject {
  endpoints?: { addresses: string[] }[];
}

/** An endpoint as the test compares it: by Pod name, with its group's ports. */
interface Flat {
  pod: string;
  ports: string;
  ready?: boolean;
  serving?: boolean;
  terminating?: boolean;
  nodeName?: string;
  zone?: string;
}

function flatten(slices: readonly EndpointSlice[] | undefined): Map<string, Flat> {
  const out = new Map<string, Flat>();
  for (const s of slices ?? []) {
    const ports = (s.ports ?? []).map((p) => `${p.name}:${p.port}/${p.protocol}`).join(",");
    for (const e of s.endpoints) {
      const pod = e.targetRef?.name ?? "";
      out.set(pod, { pod, ports, ...e.conditions, nodeName: e.nodeName, zone: e.zone });
    }
  }
  return out;
}

describe("Service controller", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-service");
  const services = new ResourceClient<MirrorService>(rest, kindRef(kinds.Service));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const replicaSets = new ResourceClient<KubeObject>(rest, kindRef(kinds.ReplicaSet));
  const realServices = new ResourceClient<RealService>(rest, { group: "", version: "v1", plural: "services", namespaced: true });
  const realSlices = new ResourceClient<RealSlice>(rest, { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", namespaced: true });
  let ns: string;
  let removeNamespace: () => Promise<void>;

  beforeAll(async () => {
    ({ name: ns, remove: removeNamespace } = await testNamespace(kc, "service"));
  });
  afterAll(async () => {
    if (ns) {
      for (const p of (await pods.list({ namespace: ns })).items) {
        if (p.metadata?.finalizers?.includes(HOLD)) await releaseHold(p.metadata.name ?? "");
      }
    }
    await removeNamespace?.();
    rest.close();
  });

  const service = (name: string, spec: Record<string, unknown>) =>
    services.create({ apiVersion: kinds.Service.apiVersion, kind: "Service", metadata: { name, namespace: ns, labels: { tier: "e2e" } }, spec });

  const pod = (name: string, labels: Record<string, string>, ports: { name?: string; containerPort: number; protocol?: string }[], finalizers?: string[]) =>
    pods.create({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name, namespace: ns, labels, ...(finalizers && { finalizers }) },
      spec: { containers: [{ name: "app", image: "registry.invalid/app:1", ports }] },
    });

  async function releaseHold(name: string): Promise<void> {
    await eventually(
      async () => {
        const p = await pods.get({ namespace: ns, name }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
        if (!p) return true;
        await pods.update({ ...p, metadata: { ...p.metadata, finalizers: p.metadata?.finalizers?.filter((f) => f !== HOLD) } });
        return true;
      },
      { what: `finalizer of ${name} removed` },
    );
  }

  /** The mirror Service's endpoints, by Pod, once `check` holds for them. */
  const endpointsWhen = (name: string, what: string, check: (eps: Map<string, Flat>, svc: MirrorService) => boolean, timeoutMs = 60_000) =>
    eventually(
      async () => {
        const svc = await services.get({ namespace: ns, name });
        const eps = flatten(svc.status?.endpointSlices);
        if (check(eps, svc)) return eps;
        throw new Error(`endpoints are ${JSON.stringify([...eps.values()])}`);
      },
      { what: `${name}: ${what}`, timeoutMs },
    );

  it("publishes ready and not-ready endpoints, resolving named ports per Pod, and keeps the real Service", async () => {
    const svc = await service("web", {
      selector: { app: "web" },
      sessionAffinity: "ClientIP",
      ports: [
        { name: "http", port: 80, targetPort: "http" },
        { name: "metrics", port: 9090, targetPort: 9100 },
      ],
    });
    await pod("web-a", { app: "web" }, [{ name: "http", containerPort: 8080 }]);
    await pod("web-b", { app: "web" }, [{ name: "http", containerPort: 8081 }]);
    // No container port named http: only the metrics port reaches it.
    await pod("web-c", { app: "web" }, [{ name: "other", containerPort: 8080 }]);
    // A named port with another protocol does not match either.
    await pod("web-udp", { app: "web" }, [{ name: "http", containerPort: 8080, protocol: "UDP" }]);
    await pod("web-sick", { app: "web", [KWOK]: "never-ready" }, [{ name: "http", containerPort: 8080 }]);
    await pod("other", { app: "other" }, [{ name: "http", containerPort: 8080 }]);

    const eps = await endpointsWhen("web", "5 endpoints, 4 ready", (e) => e.size === 5 && [...e.values()].filter((x) => x.ready).length === 4);
    expect(eps.get("web-a")?.ports).toBe("http:8080/TCP,metrics:9100/TCP");
    expect(eps.get("web-b")?.ports).toBe("http:8081/TCP,metrics:9100/TCP");
    expect(eps.get("web-c")?.ports).toBe("metrics:9100/TCP");
    expect(eps.get("web-udp")?.ports).toBe("metrics:9100/TCP");
    expect(eps.get("web-sick")).toMatchObject({ ports: "http:8080/TCP,metrics:9100/TCP", ready: false, serving: false, terminating: false });
    expect(eps.get("web-a")).toMatchObject({ ready: true, serving: true, terminating: false });
    expect(eps.get("web-a")?.nodeName).toBeTruthy();
    expect(eps.get("web-a")?.zone).toMatch(/^zone-[abc]$/);
    expect(eps.has("other")).toBe(false);

    const mirror = await services.get({ namespace: ns, name: "web" });
    const slices = mirror.status?.endpointSlices ?? [];
    expect(slices.every((s) => s.addressType === "IPv4" && s.endpoints.length <= 100)).toBe(true);
    const a = slices.flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === "web-a");
    const aPod = await pods.get({ namespace: ns, name: "web-a" });
    expect(a?.targetRef).toEqual({ kind: "Pod", namespace: ns, name: "web-a", uid: aPod.metadata?.uid });
    expect(a?.addresses).toEqual([aPod.status?.podIP]);

    // The real Service: same ports and affinity, selecting the realized Pods, owned by the mirror.
    const real = await eventually(() => realServices.get({ namespace: ns, name: "web" }), { what: "real Service web" });
    expect(real.spec?.type).toBe("ClusterIP");
    expect(real.spec?.selector).toEqual({ app: "web" });
    expect(real.spec?.sessionAffinity).toBe("ClientIP");
    expect(real.spec?.ports?.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol }))).toEqual([
      { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
      { name: "metrics", port: 9090, targetPort: 9100, protocol: "TCP" },
    ]);
    expect(real.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: "Service", name: "web", uid: svc.metadata?.uid, controller: true })]);
    expect(real.metadata?.labels).toEqual({ tier: "e2e" });
    // The cluster IP the API server gave the real Service is the mirror's too.
    const withIP = await eventually(async () => {
      const m = await services.get({ namespace: ns, name: "web" });
      return m.spec.clusterIP ? m : undefined;
    }, { what: "mirror web's clusterIP" });
    expect(withIP.spec.clusterIP).toBe(real.spec?.clusterIP);

    // The cluster's own EndpointSlice controller sees the same ready realized Pods behind the real Service.
    await eventually(
      async () => {
        const list = await realSlices.list({ namespace: ns, labelSelector: "kubernetes.io/service-name=web" });
        const addresses = list.items.flatMap((s) => s.endpoints ?? []).flatMap((e) => e.addresses).sort();
        const mirrorAddresses = (await pods.list({ namespace: ns, labelSelector: "app=web" })).items.map((p) => p.status?.podIP ?? "").sort();
        return JSON.stringify(addresses) === JSON.stringify(mirrorAddresses);
      },
      { what: "real EndpointSlices of web list the realized Pods" },
    );
  });

  it("publishes not-ready addresses as ready when asked, and marks terminating Pods", async () => {
    await service("all", { selector: { app: "all" }, publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    await service("some", { selector: { app: "all" }, ports: [{ port: 80 }] });
    await pod("all-sick", { app: "all", [KWOK]: "never-ready" }, []);
    await pod("all-held", { app: "all" }, [], [HOLD]);
    await endpointsWhen("all", "both published ready", (e) => e.get("all-sick")?.ready === true && e.get("all-held")?.ready === true);
    expect((await endpointsWhen("all", "sick not serving", (e) => e.get("all-sick")?.serving === false)).get("all-sick")?.terminating).toBe(false);
    await endpointsWhen("some", "held ready, sick not", (e) => e.get("all-held")?.ready === true && e.get("all-sick")?.ready === false);
    const real = await eventually(() => realServices.get({ namespace: ns, name: "all" }), { what: "real Service all" });
    expect(real.spec?.publishNotReadyAddresses).toBe(true);

    // Deleted but held by a finalizer: still an endpoint, terminating, and no longer ready unless published anyway.
    await pods.delete({ namespace: ns, name: "all-held" });
    await endpointsWhen("some", "held terminating", (e) => e.get("all-held")?.terminating === true && e.get("all-held")?.ready === false);
    await endpointsWhen("all", "held terminating yet published ready", (e) => e.get("all-held")?.terminating === true && e.get("all-held")?.ready === true);
    await releaseHold("all-held");
    await endpointsWhen("some", "held gone", (e) => !e.has("all-held"));
  });

  it("follows a ReplicaSet scaled 3 → 0 → 3", async () => {
    await service("scaled", { selector: { app: "scaled" }, ports: [{ name: "http", port: 80, targetPort: "http" }] });
    await replicaSets.create({
      apiVersion: kinds.ReplicaSet.apiVersion,
      kind: "ReplicaSet",
      metadata: { name: "scaled", namespace: ns },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "scaled" } },
        template: { metadata: { labels: { app: "scaled" } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1", ports: [{ name: "http", containerPort: 8080 }] }] } },
      },
    } as KubeObject);
    const scale = (replicas: number) => replicaSets.patch({ namespace: ns, name: "scaled" }, { type: "merge", patch: { spec: { replicas } } });
    const allReady = (n: number) => (e: Map<string, Flat>) => e.size === n && [...e.values()].every((x) => x.ready && x.ports === "http:8080/TCP");
    const first = await endpointsWhen("scaled", "3 ready endpoints", allReady(3));
    await scale(0);
    await endpointsWhen("scaled", "no endpoints", (e, svc) => e.size === 0 && svc.status?.endpointSlices !== undefined);
    await scale(3);
    const again = await endpointsWhen("scaled", "3 new ready endpoints", allReady(3));
    expect([...again.keys()].some((name) => first.has(name))).toBe(false);
  });

  it("passes other types through: headless, NodePort, LoadBalancer, ExternalName, and no selector", async () => {
    await service("headless", { clusterIP: "None", selector: { app: "web" }, ports: [{ port: 80 }] });
    await service("np", { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80 }] });
    await service("lb", { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 443, targetPort: 8443 }] });
    await service("ext", { type: "ExternalName", externalName: "db.example.com" });
    await service("manual", { ports: [{ port: 5432 }] });

    const real = (name: string) => eventually(() => realServices.get({ namespace: ns, name }), { what: `real Service ${name}` });
    expect((await real("headless")).spec?.clusterIP).toBe("None");
    expect((await real("np")).spec?.ports?.[0]?.nodePort).toBeGreaterThan(0);
    expect((await real("lb")).spec).toMatchObject({ type: "LoadBalancer", ports: [expect.objectContaining({ port: 443, targetPort: 8443 })] });
    expect((await real("ext")).spec).toMatchObject({ type: "ExternalName", externalName: "db.example.com" });
    expect((await real("manual")).spec?.selector).toBeUndefined();

    await endpointsWhen("headless", "the web Pods", (e) => e.size === 5);
    // Neither ExternalName nor a Service without selector gets endpoints from the controller.
    for (const name of ["ext", "manual"]) {
      const m = await services.get({ namespace: ns, name });
      expect(m.status?.endpointSlices, name).toBeUndefined();
    }
  });
});

import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kinds, type PodCondition, type PodStatus } from "../../operators/api/index.ts";
import { isNotFound, ResourceClient, RestClient, type KubeObject } from "../../operators/runtime/client/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The pod realizer against the local cluster, observed only through the API:
// mirror Pods bound by hand (as mirrorkube's scheduler would bind them) or
// left to kube-scheduler become real Pods; kwok runs those (its behaviour
// picked by the mirrorkube.dev/kwok label), and their status comes back.

const FINALIZER = "mirrorkube.dev/pod-realizer";
const KWOK_BEHAVIOUR = "mirrorkube.dev/kwok";

interface MirrorPod extends KubeObject {
  spec: Record<string, unknown> & { nodeName?: string };
  status?: PodStatus;
}

interface RealPod extends KubeObject {
  spec?: { nodeName?: string; schedulerName?: string; containers?: { name: string; image: string; env?: unknown[]; ports?: unknown[] }[]; terminationGracePeriodSeconds?: number };
  status?: { phase?: string; podIP?: string; hostIP?: string };
}

interface Node extends KubeObject {
  spec?: { taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }[]; addresses?: { type: string; address: string }[] };
}

interface CoreEvent extends KubeObject {
  involvedObject: { uid?: string; name?: string };
  reason: string;
  message: string;
  type: string;
}

interface WatchEvent<T> {
  type: string;
  object: T;
}

const mirrorRef = { group: kinds.Pod.group, version: kinds.Pod.version, plural: kinds.Pod.plural, namespaced: true };
const realRef = { group: "", version: "v1", plural: "pods", namespaced: true };
const nodeRef = { group: "", version: "v1", plural: "nodes", namespaced: false };
const eventRef = { group: "", version: "v1", plural: "events", namespaced: true };

// Extra nodes carry a NoSchedule taint so neither scheduler puts other tests'
// pods on them (pinned pods ignore it), and their own type so tests that
// pick nodes by type=kwok never see them.
const E2E_TAINT = { key: "mirrorkube.dev/e2e", value: "pod-realizer", effect: "NoSchedule" };

function condition(status: PodStatus | undefined, type: string): PodCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

describe("pod realizer", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-pod-realizer");
  const mirrors = new ResourceClient<MirrorPod>(rest, mirrorRef);
  const reals = new ResourceClient<RealPod>(rest, realRef);
  const nodes = new ResourceClient<Node>(rest, nodeRef);
  const events = new ResourceClient<CoreEvent>(rest, eventRef);
  const extraNodes: string[] = [];
  let ns: string;
  let removeNamespace: () => Promise<void>;

  beforeAll(async () => {
    ({ name: ns, remove: removeNamespace } = await testNamespace(kc, "realizer"));
  });
  afterAll(async () => {
    // The finalizer needs the realizer, and the run's manager stops after the
    // last test file: the mirror Pods go while it still runs.
    if (ns) {
      const left = await mirrors.list({ namespace: ns });
      await Promise.all(left.items.map((p) => mirrors.delete({ namespace: ns, name: p.metadata?.name ?? "" }).catch(() => undefined)));
      await eventually(async () => (await mirrors.list({ namespace: ns })).items.length === 0, { what: `mirror Pods of ${ns} deleted`, timeoutMs: 60_000 });
    }
    for (const name of extraNodes) await nodes.delete({ name }).catch(() => undefined);
    await removeNamespace?.();
    rest.close();
  });

  function mirrorPod(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): MirrorPod {
    return {
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name, namespace: ns, labels: { app: name, ...labels } },
      spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }], ...spec },
    };
  }

  async function getOrGone<T extends KubeObject>(client: ResourceClient<T>, name: string, namespace: string | undefined = ns): Promise<T | "gone"> {
    try {
      return await client.get({ namespace, name });
    } catch (err) {
      if (isNotFound(err)) return "gone";
      throw err;
    }
  }

  /** The mirror Pod once `check` holds for it. */
  function mirrorWhen(name: string, what: string, check: (p: MirrorPod) => boolean, timeoutMs?: number): Promise<MirrorPod> {
    return eventually(
      async () => {
        const p = await mirrors.get({ namespace: ns, name });
        return check(p) ? p : undefined;
      },
      { what: `mirror Pod ${name}: ${what}`, ...(timeoutMs && { timeoutMs }) },
    );
  }

  const isRunningReady = (p: MirrorPod) => p.status?.display === "Running" && p.status.ready === "1/1" && !!p.status.podIP;

  async function eventsFor(obj: KubeObject, reason: string): Promise<CoreEvent[]> {
    const list = await events.list({ namespace: ns, fieldSelector: `involvedObject.name=${obj.metadata?.name},reason=${reason}` });
    return list.items.filter((e) => e.involvedObject.uid === obj.metadata?.uid);
  }

  /** Collects the watch events of one resource in the namespace until stopped. */
  function record<T extends KubeObject>(client: ResourceClient<T>): { seen: WatchEvent<T>[]; stop: () => void } {
    const seen: WatchEvent<T>[] = [];
    const abort = new AbortController();
    void (async () => {
      try {
        for await (const line of client.watch({ namespace: ns }, abort.signal)) seen.push(JSON.parse(line) as WatchEvent<T>);
      } catch {
        // Aborted.
      }
    })();
    return { seen, stop: () => abort.abort() };
  }

  /** A fresh Node of our own; kwok runs its pods if `kwok`, else it is a Node nobody heartbeats. */
  async function extraNode(kwok: boolean): Promise<string> {
    const name = `kwok-e2e-${randomBytes(3).toString("hex")}`;
    extraNodes.push(name);
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    await nodes.create({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: { type: "kwok-e2e", "kubernetes.io/hostname": name },
        ...(kwok && { annotations: { "kwok.x-k8s.io/node": "fake" } }),
      },
      spec: { taints: [E2E_TAINT] },
      status: {
        // kwok gives pods the node's InternalIP as hostIP: without one their status is invalid.
        addresses: [{ type: "InternalIP", address: `10.240.254.${1 + (randomBytes(1)[0]! % 250)}` }],
        ...(!kwok && { conditions: [{ type: "Ready", status: "True", reason: "E2E", message: "set by the test", lastTransitionTime: now }] }),
        allocatable: { cpu: "8", memory: "32Gi", pods: "110" },
        capacity: { cpu: "8", memory: "32Gi", pods: "110" },
      } as Node["status"],
    });
    await eventually(async () => (await nodes.get({ name })).status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"), { what: `node ${name} Ready` });
    return name;
  }

  it("realizes a bound mirror Pod as a real Pod on its node and copies the status back", async () => {
    const created = await mirrors.create(
      mirrorPod("web", {
        nodeName: "kwok-node-1",
        terminationGracePeriodSeconds: 7,
        containers: [{ name: "app", image: "registry.invalid/web:2", env: [{ name: "MODE", value: "e2e" }], ports: [{ name: "http", containerPort: 8080 }] }],
      }),
    );
    const mirror = await mirrorWhen("web", "Running 1/1 with an IP", isRunningReady);
    const real = await reals.get({ namespace: ns, name: "web" });

    expect(real.metadata?.ownerReferences).toEqual([
      { apiVersion: "core.mirrorkube.dev/v1alpha1", kind: "Pod", name: "web", uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true },
    ]);
    expect(real.metadata?.labels).toEqual({ app: "web", "mirrorkube.dev/pod": "web" });
    expect(real.spec?.nodeName).toBe("kwok-node-1");
    expect(real.spec?.terminationGracePeriodSeconds).toBe(7);
    expect(real.spec?.containers?.[0]).toMatchObject({ image: "registry.invalid/web:2", env: [{ name: "MODE", value: "e2e" }], ports: [{ name: "http", containerPort: 8080 }] });

    expect(mirror.metadata?.finalizers).toContain(FINALIZER);
    expect(mirror.status).toMatchObject({ phase: "Running", podIP: real.status?.podIP, hostIP: real.status?.hostIP, ready: "1/1", restarts: 0, display: "Running" });
    expect(condition(mirror.status, "Ready")?.status).toBe("True");
    expect(condition(mirror.status, "Realized")?.status).toBe("True");
    expect(await eventsFor(mirror, "SuccessfulCreate")).toHaveLength(1);

    // What `kubectl get mpod -o wide` prints: NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE.
    const out = await kubectl(["get", "mpod", "web", "-n", ns, "-o", "wide", "--no-headers"]);
    expect(out.stderr).toBe("");
    const [name, ready, status, restarts, , ip, node] = out.stdout.trim().split(/\s+/);
    expect({ name, ready, status, restarts, ip, node }).toEqual({ name: "web", ready: "1/1", status: "Running", restarts: "0", ip: real.status?.podIP, node: "kwok-node-1" });
  });

  it("deletes the real Pod first, with the pod's grace period, and only then lets the mirror Pod go", async () => {
    await mirrors.create(mirrorPod("gone", { nodeName: "kwok-node-2", terminationGracePeriodSeconds: 9 }));
    await mirrorWhen("gone", "Running", isRunningReady);
    const mirrorWatch = record(mirrors);
    const realWatch = record(reals);
    try {
      await eventually(() => mirrorWatch.seen.length > 0 && realWatch.seen.length > 0, { what: "both watches started" });
      await mirrors.delete({ namespace: ns, name: "gone" });
      await eventually(async () => (await getOrGone(mirrors, "gone")) === "gone", { what: "mirror Pod gone deleted" });
      const mirrorDeleted = await eventually(() => mirrorWatch.seen.find((e) => e.type === "DELETED" && e.object.metadata?.name === "gone"), { what: "mirror DELETED event" });
      const realDeleted = await eventually(() => realWatch.seen.find((e) => e.type === "DELETED" && e.object.metadata?.name === "gone"), { what: "real DELETED event" });

      // The finalizer held the mirror Pod, shown Terminating, while it was being deleted...
      const held = mirrorWatch.seen.filter((e) => e.object.metadata?.name === "gone" && e.object.metadata.deletionTimestamp && e.object.metadata.finalizers?.includes(FINALIZER));
      expect(held.map((e) => e.object.status?.display)).toContain("Terminating");
      // ...the real Pod was deleted gracefully, with the grace period of the pod...
      const terminating = realWatch.seen.find((e) => e.object.metadata?.name === "gone" && e.object.metadata.deletionTimestamp);
      expect(terminating?.object.metadata?.deletionGracePeriodSeconds).toBe(9);
      // ...and was gone before the mirror Pod (one etcd: deletion revisions are ordered).
      expect(Number(realDeleted.object.metadata?.resourceVersion)).toBeLessThan(Number(mirrorDeleted.object.metadata?.resourceVersion));
    } finally {
      mirrorWatch.stop();
      realWatch.stop();
    }
  });

  it("hands a default-scheduler mirror Pod to kube-scheduler, and its nodeName follows the real Pod's", async () => {
    await mirrors.create(mirrorPod("placed", { schedulerName: "default-scheduler" }));
    const mirror = await mirrorWhen("placed", "Running with a node", (p) => isRunningReady(p) && !!p.spec.nodeName);
    const real = await reals.get({ namespace: ns, name: "placed" });
    expect(real.spec?.schedulerName).toBe("default-scheduler");
    expect(real.spec?.nodeName).toMatch(/^kwok-node-/);
    expect(mirror.spec.nodeName).toBe(real.spec?.nodeName);
    expect(mirror.status?.podIP).toBe(real.status?.podIP);
    expect(condition(mirror.status, "PodScheduled")?.status).toBe("True");
  });

  it("shows a never-ready pod as Running 0/1, and as 1/1 once the label goes from the mirror Pod", async () => {
    await mirrors.create(mirrorPod("flaky", { nodeName: "kwok-node-0" }, { [KWOK_BEHAVIOUR]: "never-ready" }));
    const unready = await mirrorWhen("flaky", "Running 0/1", (p) => p.status?.display === "Running" && p.status.ready === "0/1");
    expect(condition(unready.status, "Ready")?.status).toBe("False");

    await mirrors.patch({ namespace: ns, name: "flaky" }, { type: "merge", patch: { metadata: { labels: { [KWOK_BEHAVIOUR]: null } } } });
    await mirrorWhen("flaky", "Running 1/1 after the fix", isRunningReady);
    expect((await reals.get({ namespace: ns, name: "flaky" })).metadata?.labels).not.toHaveProperty(KWOK_BEHAVIOUR);
  });

  it("shows a pod whose container fails as Failed, STATUS Error", async () => {
    await mirrors.create(mirrorPod("broken", { nodeName: "kwok-node-0", restartPolicy: "Never" }, { [KWOK_BEHAVIOUR]: "fail" }));
    const failed = await mirrorWhen("broken", "Failed", (p) => p.status?.phase === "Failed");
    expect(failed.status).toMatchObject({ display: "Error", ready: "0/1" });
    expect(failed.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
  });

  it("never touches a Pod of the same name it does not control: Pending with a Warning event until it is gone", async () => {
    const foreign = await reals.create({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "taken", namespace: ns, labels: { owner: "someone-else" } },
      spec: { nodeName: "kwok-node-0", containers: [{ name: "app", image: "registry.invalid/other:1" }] },
    });
    await mirrors.create(mirrorPod("taken", { nodeName: "kwok-node-1" }));
    const blocked = await mirrorWhen("taken", "Realized=False", (p) => condition(p.status, "Realized")?.status === "False");
    expect(blocked.status?.phase).toBe("Pending");
    expect(condition(blocked.status, "Realized")?.reason).toBe("RealPodConflict");
    expect(blocked.status?.message).toContain(`A Pod named ${ns}/taken already exists and is not controlled by this mirror Pod`);
    const [warning] = await eventually(async () => {
      const found = await eventsFor(blocked, "RealPodConflict");
      return found.length > 0 ? found : undefined;
    }, { what: "RealPodConflict event" });
    expect(warning?.type).toBe("Warning");

    const untouched = await reals.get({ namespace: ns, name: "taken" });
    expect(untouched.metadata?.uid).toBe(foreign.metadata?.uid);
    expect(untouched.metadata?.ownerReferences).toBeUndefined();
    expect(untouched.metadata?.labels).toEqual({ owner: "someone-else" });
    expect(untouched.spec?.nodeName).toBe("kwok-node-0");

    // Once the other Pod is gone the mirror Pod is realized after all.
    await reals.delete({ namespace: ns, name: "taken" }, { gracePeriodSeconds: 0 });
    const realized = await mirrorWhen("taken", "Running", isRunningReady);
    expect(realized.status?.message).toBeUndefined();
    expect((await reals.get({ namespace: ns, name: "taken" })).metadata?.ownerReferences?.[0]?.uid).toBe(blocked.metadata?.uid);
  });

  it("fails the mirror Pod for good when its real Pod is deleted by someone else", async () => {
    await mirrors.create(mirrorPod("victim", { nodeName: "kwok-node-2" }));
    await mirrorWhen("victim", "Running", isRunningReady);
    await reals.delete({ namespace: ns, name: "victim" });
    const failed = await mirrorWhen("victim", "Failed", (p) => p.status?.phase === "Failed");
    expect(failed.status).toMatchObject({ reason: "RealPodDeleted", display: "RealPodDeleted", ready: "0/1" });
    expect(failed.status?.message).toContain(`The real Pod ${ns}/victim was deleted`);
    // A Failed pod is terminal: it is not realized again.
    expect(await getOrGone(reals, "victim")).toBe("gone");
    expect(await eventsFor(failed, "SuccessfulCreate")).toHaveLength(1);
    const [warning] = await eventsFor(failed, "RealPodDeleted");
    expect(warning?.type).toBe("Warning");
  });

  it("fails the mirror Pods of a deleted Node with NodeLost", async () => {
    const node = await extraNode(true);
    // Without grace the real Pod left on the lost node goes at once instead of waiting for pod GC.
    await mirrors.create(mirrorPod("stranded", { nodeName: node, terminationGracePeriodSeconds: 0 }));
    await mirrorWhen("stranded", "Running", isRunningReady);
    await nodes.delete({ name: node });
    const failed = await mirrorWhen("stranded", "Failed", (p) => p.status?.phase === "Failed");
    expect(failed.status).toMatchObject({
      reason: "NodeLost",
      message: `Node ${node} which was running pod stranded was deleted`,
      display: "NodeLost",
      ready: "0/1",
    });
    expect(condition(failed.status, "Ready")?.status).toBe("False");
  });

  it("fails the mirror Pods of a Node NotReady beyond the grace period with NodeLost, and removes their real Pods", async () => {
    // A Node no kwok heartbeats, so the test alone decides its readiness.
    const node = await extraNode(false);
    await mirrors.create(mirrorPod("unreachable", { nodeName: node, terminationGracePeriodSeconds: 0 }));
    await mirrorWhen("unreachable", "realized", (p) => condition(p.status, "Realized")?.status === "True");
    await eventually(async () => (await getOrGone(reals, "unreachable")) !== "gone", { what: "real Pod unreachable" });

    // NotReady since long before the grace period (40 s by default).
    const since = new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const notReady = { type: "Ready", status: "False", reason: "E2E", message: "made NotReady by the test", lastTransitionTime: since };
    await nodes.patchStatus({ name: node }, { type: "merge", patch: { status: { conditions: [notReady] } } });
    const failed = await mirrorWhen("unreachable", "Failed", (p) => p.status?.phase === "Failed");
    expect(failed.status).toMatchObject({ reason: "NodeLost", message: `Node ${node} which was running pod unreachable is unresponsive` });
    await eventually(async () => (await getOrGone(reals, "unreachable")) === "gone", { what: "real Pod unreachable deleted" });
  });
});

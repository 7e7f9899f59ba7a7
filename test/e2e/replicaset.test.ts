import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import type { ReplicaSetStatus } from "../../operators/api/index.ts";
import { isNotFound, ResourceClient, RestClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject } from "../../operators/runtime/client/index.ts";
import { eventResource } from "../../operators/runtime/events/event.ts";
import type { CoreEvent } from "../../operators/runtime/events/event.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The ReplicaSet controller in the manager the run starts, observed only
// through the API: pods, owner references, status, events.
//
// Most cases give their pods a schedulerName nobody serves, so the pods stay
// unbound and untouched by the scheduler and the realizer, and the test plays
// the kubelet by writing their status itself (Ready, Failed): the scale-down
// order then depends on nothing but the controller. One case runs pods through
// the real pipeline (kube-scheduler, the realizer, kwok) to Ready.

interface MirrorPod extends KubeObject {
  spec?: { nodeName?: string; schedulerName?: string };
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}
interface MirrorReplicaSet extends KubeObject {
  spec: { replicas: number; minReadySeconds?: number };
  status?: ReplicaSetStatus;
}

/** Nobody schedules these: pods stay unbound, and their status is what the test writes. */
const UNSCHEDULED = "mirrorkube-e2e-unscheduled";
const image = "registry.invalid/app:1";
const rfc3339 = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, "Z");

describe("ReplicaSet controller", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-replicaset");
  const replicaSets = new ResourceClient<MirrorReplicaSet>(rest, kindRef(kinds.ReplicaSet));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const events = new ResourceClient<CoreEvent>(rest, eventResource);
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "replicaset");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  interface Options {
    schedulerName?: string;
    minReadySeconds?: number;
    namespace?: string;
  }

  const create = (name: string, replicas: number, o: Options = {}) =>
    replicaSets.create({
      apiVersion: kinds.ReplicaSet.apiVersion,
      kind: "ReplicaSet",
      metadata: { name, namespace: o.namespace ?? ns.name },
      spec: {
        replicas,
        ...(o.minReadySeconds !== undefined && { minReadySeconds: o.minReadySeconds }),
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, tier: "e2e" }, annotations: { "example.com/note": "from the template" } },
          spec: { schedulerName: o.schedulerName ?? UNSCHEDULED, containers: [{ name: "app", image }] },
        },
      },
    } as MirrorReplicaSet);

  const getRs = (name: string, namespace = ns.name) => replicaSets.get({ namespace, name });

  /** The live pods (not being deleted) whose controller is the ReplicaSet, by name. */
  async function ownedPods(rs: MirrorReplicaSet, namespace = ns.name): Promise<MirrorPod[]> {
    const list = await pods.list({ namespace });
    return list.items
      .filter((p) => !p.metadata?.deletionTimestamp && p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata?.uid))
      .sort((a, b) => ((a.metadata?.name ?? "") < (b.metadata?.name ?? "") ? -1 : 1));
  }

  const names = (ps: MirrorPod[]) => ps.map((p) => p.metadata?.name ?? "");

  async function waitForOwned(rs: MirrorReplicaSet, n: number, what: string, namespace = ns.name): Promise<MirrorPod[]> {
    return eventually(
      async () => {
        const owned = await ownedPods(rs, namespace);
        return owned.length === n ? owned : undefined;
      },
      { what: `${n} pods owned by ${rs.metadata?.name} (${what})` },
    );
  }

  async function waitForStatus(name: string, check: (s: ReplicaSetStatus, rs: MirrorReplicaSet) => boolean, what: string, namespace = ns.name): Promise<MirrorReplicaSet> {
    return eventually(
      async () => {
        const rs = await getRs(name, namespace);
        return rs.status && check(rs.status, rs) ? rs : undefined;
      },
      { what: `${name} status: ${what}` },
    );
  }

  /** Plays the kubelet: writes the pod's status (the status subresource, retried on conflicts). */
  async function setPodStatus(name: string, status: MirrorPod["status"]): Promise<void> {
    await eventually(
      async () => {
        const pod = await pods.get({ namespace: ns.name, name });
        await pods.updateStatus({ ...pod, status: { ...pod.status, ...status } });
        return true;
      },
      { what: `status of pod ${name} written` },
    );
  }

  const running = (ready: boolean, since = new Date(Date.now() - 60_000)) => ({
    phase: "Running",
    conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: rfc3339(since) }],
  });

  async function isGone(name: string): Promise<boolean> {
    try {
      const pod = await pods.get({ namespace: ns.name, name });
      return !!pod.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
  }

  async function eventsFor(rs: MirrorReplicaSet, namespace = ns.name): Promise<CoreEvent[]> {
    const list = await events.list({ namespace });
    return list.items.filter((e) => e.involvedObject.uid === rs.metadata?.uid);
  }

  const scale = async (name: string, replicas: number) => {
    const res = await kubectl(["scale", `replicaset.apps.mirrorkube.dev/${name}`, `--replicas=${replicas}`, "-n", ns.name]);
    expect(res.code, res.stderr).toBe(0);
  };

  it("creates spec.replicas pods with a controller reference, reports status and records events", async () => {
    const rs = await create("web", 3);
    const owned = await waitForOwned(rs, 3, "created");
    for (const pod of owned) {
      expect(pod.metadata?.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(pod.metadata?.generateName).toBe("web-");
      expect(pod.metadata?.labels).toEqual({ app: "web", tier: "e2e" });
      expect(pod.metadata?.annotations?.["example.com/note"]).toBe("from the template");
      expect(pod.metadata?.ownerReferences).toEqual([
        { apiVersion: kinds.ReplicaSet.apiVersion, kind: "ReplicaSet", name: "web", uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(pod.spec?.schedulerName).toBe(UNSCHEDULED);
    }

    const done = await waitForStatus("web", (s) => s.replicas === 3 && s.fullyLabeledReplicas === 3, "3 replicas, fully labeled");
    // Nobody runs these pods: none is ready.
    expect(done.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 0, availableReplicas: 0, observedGeneration: done.metadata?.generation, selector: "app=web" });

    const created = await eventually(
      async () => {
        const evs = (await eventsFor(rs)).filter((e) => e.reason === "SuccessfulCreate");
        return evs.length === 3 ? evs : undefined;
      },
      { what: "3 SuccessfulCreate events" },
    );
    expect(created.map((e) => e.message).sort()).toEqual(names(owned).map((n) => `Created pod: ${n}`));
    for (const e of created) {
      expect(e.type).toBe("Normal");
      expect(e.source.component).toBe("replicaset-controller");
      expect(e.involvedObject).toMatchObject({ apiVersion: kinds.ReplicaSet.apiVersion, kind: "ReplicaSet", name: "web", namespace: ns.name });
    }

    const get = await kubectl(["get", "mrs", "web", "-n", ns.name]);
    expect(get.stdout.split("\n")[0]).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/);
    expect(get.stdout.split("\n")[1]).toMatch(/^web\s+3\s+3\s+0\s+\d+s$/);
  });

  it("scales down taking the unready pod first (whatever its cost), then the lower pod-deletion-cost, and scales up", async () => {
    const rs = await create("victims", 3);
    const [a, b, c] = names(await waitForOwned(rs, 3, "created"));
    // Written before the statuses: once the ReplicaSet reports them, its cache has seen this too.
    const cost = (name: string, value: string) => pods.patch({ namespace: ns.name, name }, { type: "merge", patch: { metadata: { annotations: { "controller.kubernetes.io/pod-deletion-cost": value } } } });
    await cost(a!, "100");
    await cost(c!, "200");
    await setPodStatus(a!, running(true));
    await setPodStatus(b!, running(true));
    await setPodStatus(c!, running(false));
    await waitForStatus("victims", (s) => s.readyReplicas === 2 && s.availableReplicas === 2, "2 ready");

    await scale("victims", 2);
    // Not ready goes first, whatever its deletion cost.
    await eventually(() => isGone(c!), { what: `the unready pod ${c} deleted` });
    expect(names(await waitForOwned(rs, 2, "after scaling to 2"))).toEqual([a, b].sort());

    await scale("victims", 1);
    await eventually(() => isGone(b!), { what: `the cheaper pod ${b} deleted` });
    expect(names(await waitForOwned(rs, 1, "after scaling to 1"))).toEqual([a]);

    await scale("victims", 3);
    const grown = await waitForOwned(rs, 3, "after scaling to 3");
    expect(names(grown)).toContain(a);
    await waitForStatus("victims", (s, r) => s.replicas === 3 && s.observedGeneration === r.metadata?.generation, "3 replicas at the latest generation");

    const deleted = (await eventsFor(rs)).filter((e) => e.reason === "SuccessfulDelete").map((e) => e.message);
    expect(deleted.sort()).toEqual([`Deleted pod: ${b}`, `Deleted pod: ${c}`].sort());
  });

  it("adopts a matching orphan and releases a pod whose labels stop matching", async () => {
    const rs = await create("adopt", 2);
    const [first] = names(await waitForOwned(rs, 2, "created"));

    // An orphan that does not match yet, already running and ready.
    await pods.create({
      apiVersion: kinds.Pod.apiVersion,
      kind: "Pod",
      metadata: { name: "orphan", namespace: ns.name, labels: { app: "not-yet" } },
      spec: { schedulerName: UNSCHEDULED, containers: [{ name: "app", image }] },
    } as MirrorPod);
    await setPodStatus("orphan", running(true));
    await pods.patch({ namespace: ns.name, name: "orphan" }, { type: "merge", patch: { metadata: { labels: { app: "adopt" } } } });

    // Adopted; the ReplicaSet now has one pod too many and deletes a pending one, not the ready orphan.
    const adopted = await eventually(
      async () => {
        const pod = await pods.get({ namespace: ns.name, name: "orphan" });
        return pod.metadata?.ownerReferences?.length ? pod : undefined;
      },
      { what: "the orphan adopted" },
    );
    expect(adopted.metadata?.ownerReferences).toEqual([
      { apiVersion: kinds.ReplicaSet.apiVersion, kind: "ReplicaSet", name: "adopt", uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true },
    ]);
    const afterAdoption = await waitForOwned(rs, 2, "after the adoption");
    expect(names(afterAdoption)).toContain("orphan");

    // Release: relabel an owned pod away from the selector.
    const victim = names(afterAdoption).find((n) => n !== "orphan") ?? first!;
    await pods.patch({ namespace: ns.name, name: victim }, { type: "merge", patch: { metadata: { labels: { app: "released" } } } });
    const released = await eventually(
      async () => {
        const pod = await pods.get({ namespace: ns.name, name: victim });
        return !pod.metadata?.ownerReferences?.length ? pod : undefined;
      },
      { what: `${victim} released` },
    );
    expect(released.metadata?.deletionTimestamp).toBeUndefined();
    const replaced = await waitForOwned(rs, 2, "after the release");
    expect(names(replaced)).not.toContain(victim);
    expect(names(replaced)).toContain("orphan");
  });

  it("replaces a deleted pod and a failed pod", async () => {
    const rs = await create("heal", 2);
    const [a, b] = names(await waitForOwned(rs, 2, "created"));

    await pods.delete({ namespace: ns.name, name: a! });
    const afterDelete = await eventually(
      async () => {
        const owned = names(await ownedPods(rs));
        return owned.length === 2 && !owned.includes(a!) ? owned : undefined;
      },
      { what: `a replacement for the deleted ${a}` },
    );
    expect(afterDelete).toContain(b);

    await setPodStatus(b!, { phase: "Failed" });
    const afterFailure = await eventually(
      async () => {
        const active = (await ownedPods(rs)).filter((p) => p.status?.phase !== "Failed");
        return active.length === 2 && !names(active).includes(b!) ? active : undefined;
      },
      { what: `a replacement for the failed ${b}` },
    );
    expect(afterFailure).toHaveLength(2);
    // The failed pod is not the ReplicaSet's to delete; it only stops counting.
    expect((await pods.get({ namespace: ns.name, name: b! })).status?.phase).toBe("Failed");
    await waitForStatus("heal", (s) => s.replicas === 2, "2 active replicas");
  });

  it("reports availability only after minReadySeconds, with no event to wake it", async () => {
    const rs = await create("slow", 1, { minReadySeconds: 3 });
    const [pod] = names(await waitForOwned(rs, 1, "created"));
    await setPodStatus(pod!, running(true, new Date()));
    const ready = await waitForStatus("slow", (s) => s.readyReplicas === 1, "1 ready");
    expect(ready.status?.availableReplicas).toBe(0);
    await waitForStatus("slow", (s) => s.availableReplicas === 1, "1 available after minReadySeconds");
  });

  it("runs its pods to Ready through kube-scheduler, the realizer and kwok", async () => {
    const rs = await create("real", 2, { schedulerName: "default-scheduler" });
    const done = await waitForStatus("real", (s) => s.readyReplicas === 2 && s.availableReplicas === 2, "2 ready and available");
    expect(done.status?.replicas).toBe(2);
    for (const pod of await ownedPods(rs)) expect(pod.spec?.nodeName).toMatch(/^kwok-node-/);
  });

});

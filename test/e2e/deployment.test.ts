import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import type { DeploymentStatus, ReplicaSetStatus } from "../../operators/api/index.ts";
import { RestClient, ResourceClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject } from "../../operators/runtime/client/index.ts";
import { eventResource } from "../../operators/runtime/events/event.ts";
import type { CoreEvent } from "../../operators/runtime/events/event.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";

// The Deployment controller in the manager the run starts, with the
// ReplicaSet controller, the realizer, kube-scheduler (the pods ask for
// default-scheduler) and kwok running the pods. Observed only through the
// API: ReplicaSets, pods, status, conditions, annotations, events.

interface Template {
  metadata: { labels: Record<string, string> };
  spec: { schedulerName: string; containers: { name: string; image: string }[] };
}
interface MirrorDeployment extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: Template;
    strategy?: { type: "RollingUpdate" | "Recreate"; rollingUpdate?: { maxSurge: number | string; maxUnavailable: number | string } };
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
    paused?: boolean;
  };
  status?: DeploymentStatus;
}
interface MirrorReplicaSet extends KubeObject {
  spec: { replicas: number; template: Template; selector: { matchLabels: Record<string, string> } };
  status?: ReplicaSetStatus;
}
interface MirrorPod extends KubeObject {
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

const NEVER_READY = { "mirrorkube.dev/kwok": "never-ready" };

describe("Deployment controller", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-deployment");
  const deployments = new ResourceClient<MirrorDeployment>(rest, kindRef(kinds.Deployment));
  const replicaSets = new ResourceClient<MirrorReplicaSet>(rest, kindRef(kinds.ReplicaSet));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const events = new ResourceClient<CoreEvent>(rest, eventResource);
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "deployment");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  const template = (name: string, image: string, labels: Record<string, string> = {}): Template => ({
    metadata: { labels: { app: name, ...labels } },
    spec: { schedulerName: "default-scheduler", containers: [{ name: "app", image }] },
  });

  const create = (name: string, replicas: number, spec: Partial<MirrorDeployment["spec"]> = {}, labels: Record<string, string> = {}) =>
    deployments.create({
      apiVersion: kinds.Deployment.apiVersion,
      kind: "Deployment",
      metadata: { name, namespace: ns.name },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: template(name, "registry.invalid/app:1", labels), ...spec },
    });

  const get = (name: string) => deployments.get({ namespace: ns.name, name });

  /** Changes the spec, retrying on conflicts with the controller's writes. */
  const update = (name: string, change: (d: MirrorDeployment) => MirrorDeployment) =>
    eventually(async () => deployments.update(change(await get(name))), { what: `update of ${name}` });

  const setImage = (name: string, image: string, labels: Record<string, string> = {}) =>
    update(name, (d) => ({ ...d, spec: { ...d.spec, template: template(name, image, labels) } }));

  /** The Deployment's ReplicaSets, oldest first. */
  async function replicaSetsOf(d: MirrorDeployment): Promise<MirrorReplicaSet[]> {
    const list = await replicaSets.list({ namespace: ns.name });
    return list.items
      .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid))
      .sort((a, b) => (a.metadata?.creationTimestamp ?? "").localeCompare(b.metadata?.creationTimestamp ?? "") || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  }

  const imageOf = (rs: MirrorReplicaSet) => rs.spec.template.spec.containers[0]?.image;
  const sizes = (rss: MirrorReplicaSet[]) => rss.map((rs) => [imageOf(rs), rs.spec.replicas]);

  /** Ready pods not on their way out, as the ReplicaSets count them. */
  async function availablePods(app: string): Promise<number> {
    const list = await pods.list({ namespace: ns.name, labelSelector: `app=${app}` });
    return list.items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")).length;
  }

  const complete = (d: MirrorDeployment) =>
    d.status?.observedGeneration === d.metadata?.generation &&
    d.status?.updatedReplicas === d.spec.replicas &&
    d.status?.replicas === d.spec.replicas &&
    d.status?.availableReplicas === d.spec.replicas &&
    d.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable");

  /** Polls until the rollout completes, checking `invariant` at every poll. */
  async function rollout(name: string, invariant: (d: MirrorDeployment, rss: MirrorReplicaSet[]) => Promise<void> | void = () => undefined, timeoutMs = 90_000): Promise<MirrorDeployment> {
    return eventually(
      async () => {
        const d = await get(name);
        const rss = await replicaSetsOf(d);
        await invariant(d, rss);
        return complete(d) ? d : undefined;
      },
      { what: `rollout of ${name}`, timeoutMs, intervalMs: 100 },
    );
  }

  async function eventsOf(d: MirrorDeployment): Promise<CoreEvent[]> {
    const list = await events.list({ namespace: ns.name });
    return list.items.filter((e) => e.involvedObject.uid === d.metadata?.uid).sort((a, b) => a.firstTimestamp.localeCompare(b.firstTimestamp));
  }

  it("creates 3 replicas: ReplicaSet name, labels, annotations, status, conditions and events as upstream", async () => {
    await create("web", 3);
    const d = await rollout("web");
    const [rs] = await replicaSetsOf(d);
    const hash = rs?.metadata?.labels?.["pod-template-hash"];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(rs?.spec.template.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(rs?.metadata?.annotations).toEqual({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    expect(rs?.metadata?.ownerReferences).toEqual([{ apiVersion: kinds.Deployment.apiVersion, kind: "Deployment", name: "web", uid: d.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(d.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, ready: "3/3", selector: "app=web" });
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."],
      ["Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    const evs = await eventsOf(d);
    expect(evs.map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual([["Normal", "ScalingReplicaSet", `Scaled up replica set web-${hash} from 0 to 3`, "deployment-controller"]]);

    const printed = await kubectl(["get", "mdeploy", "web", "-n", ns.name]);
    expect(printed.stdout.split("\n")[1]).toMatch(/^web\s+3\/3\s+3\s+3\s+\d+s$/);
  });

  it.each([
    ["surge-first", 1, 0],
    ["unavailable-first", 0, 1],
  ])("rolls %s (maxSurge %i, maxUnavailable %i) within its bounds at every poll", async (name, maxSurge, maxUnavailable) => {
    await create(name, 3, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge, maxUnavailable } } });
    await rollout(name);
    await setImage(name, "registry.invalid/app:2");
    let sawBoth = false;
    const d = await rollout(name, async (_, rss) => {
      expect(rss.reduce((n, rs) => n + rs.spec.replicas, 0)).toBeLessThanOrEqual(3 + maxSurge);
      expect(await availablePods(name)).toBeGreaterThanOrEqual(3 - maxUnavailable);
      if (rss.filter((rs) => rs.spec.replicas > 0).length > 1) sawBoth = true;
    });
    expect(sawBoth).toBe(true);
    const rss = await replicaSetsOf(d);
    expect(sizes(rss)).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:2", 3],
    ]);
    expect(rss.map((rs) => rs.metadata?.annotations?.["deployment.kubernetes.io/revision"])).toEqual(["1", "2"]);
    expect(d.metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
  });

  it("Recreate never runs old and new pods together", async () => {
    await create("recreate", 3, { strategy: { type: "Recreate" } });
    await rollout("recreate");
    await setImage("recreate", "registry.invalid/app:2");
    await rollout("recreate", async () => {
      const list = await pods.list({ namespace: ns.name, labelSelector: "app=recreate" });
      const hashes = new Set(list.items.map((p) => p.metadata?.labels?.["pod-template-hash"]));
      expect(hashes.size).toBeLessThanOrEqual(1);
    });
  });

  it("scales a stuck rollout proportionally: 10 → 30 gives 20/13", async () => {
    await create("stuck", 10, { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
    await rollout("stuck");
    await setImage("stuck", "registry.invalid/app:2", NEVER_READY);
    const d = await eventually(
      async () => {
        const cur = await get("stuck");
        const rss = await replicaSetsOf(cur);
        const settled = rss.every((rs) => rs.status?.replicas === rs.spec.replicas);
        return settled && JSON.stringify(sizes(rss)) === JSON.stringify([["registry.invalid/app:1", 8], ["registry.invalid/app:2", 5]]) ? cur : undefined;
      },
      { what: "stuck at 8 old + 5 new", timeoutMs: 60_000 },
    );
    const scaled = await kubectl(["scale", "mdeploy", "stuck", "--replicas=30", "-n", ns.name]);
    expect(scaled.code, scaled.stderr).toBe(0);
    const after = await eventually(
      async () => {
        const rss = await replicaSetsOf(d);
        return rss.reduce((n, rs) => n + rs.spec.replicas, 0) === 33 ? rss : undefined;
      },
      { what: "scaled to 33 in all" },
    );
    expect(sizes(after)).toEqual([
      ["registry.invalid/app:1", 20],
      ["registry.invalid/app:2", 13],
    ]);
    for (const rs of after) expect(rs.metadata?.annotations).toMatchObject({ "deployment.kubernetes.io/desired-replicas": "30", "deployment.kubernetes.io/max-replicas": "33" });
  });

  it("reports ProgressDeadlineExceeded for a template whose pods never become ready", async () => {
    await create("deadline", 2, { progressDeadlineSeconds: 5 }, NEVER_READY);
    const d = await eventually(
      async () => {
        const cur = await get("deadline");
        return cur.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded") ? cur : undefined;
      },
      { what: "ProgressDeadlineExceeded", timeoutMs: 40_000 },
    );
    const [rs] = await replicaSetsOf(d);
    expect(d.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ["Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."],
      ["Progressing", "False", "ProgressDeadlineExceeded", `ReplicaSet "${rs?.metadata?.name}" has timed out progressing.`],
    ]);
  });

  it("keeps revisionHistoryLimit old ReplicaSets", async () => {
    await create("history", 1, { revisionHistoryLimit: 1 });
    await rollout("history");
    for (const v of [2, 3, 4]) {
      await setImage("history", `registry.invalid/app:${v}`);
      await rollout("history");
    }
    const d = await get("history");
    const rss = await eventually(
      async () => {
        const list = await replicaSetsOf(d);
        return list.length === 2 ? list : undefined;
      },
      { what: "one old ReplicaSet kept" },
    );
    expect(rss.map(imageOf)).toEqual(["registry.invalid/app:3", "registry.invalid/app:4"]);
    expect(rss.map((rs) => rs.metadata?.annotations?.["deployment.kubernetes.io/revision"])).toEqual(["3", "4"]);
  });

  it("adopts the ReplicaSet it orphaned (the same UID) when created again", async () => {
    const first = await create("adopt", 2);
    await rollout("adopt");
    const [rs] = await replicaSetsOf(first);
    const del = await kubectl(["delete", "mdeploy", "adopt", "--cascade=orphan", "-n", ns.name]);
    expect(del.code, del.stderr).toBe(0);
    await eventually(async () => ((await replicaSets.get({ namespace: ns.name, name: rs?.metadata?.name ?? "" })).metadata?.ownerReferences ?? []).length === 0, { what: "ReplicaSet orphaned" });
    const second = await create("adopt", 2);
    const adopted = await eventually(
      async () => {
        const list = await replicaSetsOf(second);
        return list.length === 1 ? list : undefined;
      },
      { what: "the ReplicaSet adopted" },
    );
    expect(adopted[0]?.metadata?.uid).toBe(rs?.metadata?.uid);
    await rollout("adopt");
    expect(await replicaSetsOf(second)).toHaveLength(1);
  });

  it("pauses (no new ReplicaSet), resumes, and rolls back through the legacy annotation", async () => {
    await create("pause", 2);
    await rollout("pause");
    await update("pause", (d) => ({ ...d, spec: { ...d.spec, paused: true } }));
    await eventually(async () => (await get("pause")).status?.conditions?.some((c) => c.reason === "DeploymentPaused" && c.status === "Unknown"), { what: "DeploymentPaused" });
    await setImage("pause", "registry.invalid/app:2");
    // Observed while paused, and still one ReplicaSet.
    const paused = await eventually(async () => {
      const d = await get("pause");
      return d.status?.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    expect(await replicaSetsOf(paused)).toHaveLength(1);

    await update("pause", (d) => ({ ...d, spec: { ...d.spec, paused: false } }));
    const resumed = await rollout("pause");
    expect(sizes(await replicaSetsOf(resumed))).toEqual([
      ["registry.invalid/app:1", 0],
      ["registry.invalid/app:2", 2],
    ]);
    expect((await eventsOf(resumed)).length).toBeGreaterThan(0);

    const annotate = await kubectl(["annotate", "mdeploy", "pause", "deprecated.deployment.rollback.to=0", "-n", ns.name]);
    expect(annotate.code, annotate.stderr).toBe(0);
    const back = await eventually(
      async () => {
        const d = await get("pause");
        return d.spec.template.spec.containers[0]?.image === "registry.invalid/app:1" && complete(d) ? d : undefined;
      },
      { what: "rolled back to app:1", timeoutMs: 90_000 },
    );
    const rss = await replicaSetsOf(back);
    expect(sizes(rss)).toEqual([
      ["registry.invalid/app:1", 2],
      ["registry.invalid/app:2", 0],
    ]);
    expect(rss[0]?.metadata?.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1" });
    expect(back.metadata?.annotations?.["deprecated.deployment.rollback.to"]).toBeUndefined();
    expect((await eventsOf(back)).some((e) => e.reason === "DeploymentRollback" && e.message === 'Rolled back deployment "pause" to revision 1')).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import { RestClient, ResourceClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject, ResourceRef } from "../../operators/runtime/client/index.ts";
import { eventResource } from "../../operators/runtime/events/event.ts";
import type { CoreEvent } from "../../operators/runtime/events/event.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";

// One manifest, applied twice in one namespace: as an apps/v1 Deployment
// (kube-controller-manager's deployment and replicaset controllers, pods
// placed by kube-scheduler) and as an apps.mirrorkube.dev Deployment
// (mirrorkube's controllers, scheduler and realizer). kwok runs both sides'
// pods the same way. Each rollout must end in the same status, conditions
// and ReplicaSets, by the same scaling steps.

interface Deployment extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    strategy: { type: "RollingUpdate"; rollingUpdate: { maxSurge: number; maxUnavailable: number } };
    progressDeadlineSeconds?: number;
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: { type: string; status: string; reason?: string }[];
  };
}

interface Side {
  label: string;
  apiVersion: string;
  deployments: ResourceClient<Deployment>;
  replicaSets: ResourceClient<KubeObject>;
}

const REVISION = "deployment.kubernetes.io/revision";
const NEVER_READY = { "mirrorkube.dev/kwok": "never-ready" };

describe("Deployment: mirror vs apps/v1, side by side", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-deployment-differential");
  const events = new ResourceClient<CoreEvent>(rest, eventResource);
  const apps = (plural: string): ResourceRef => ({ group: "apps", version: "v1", plural, namespaced: true });
  const sides: Side[] = [
    { label: "builtin", apiVersion: "apps/v1", deployments: new ResourceClient(rest, apps("deployments")), replicaSets: new ResourceClient(rest, apps("replicasets")) },
    { label: "mirror", apiVersion: kinds.Deployment.apiVersion, deployments: new ResourceClient(rest, kindRef(kinds.Deployment)), replicaSets: new ResourceClient(rest, kindRef(kinds.ReplicaSet)) },
  ];
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "deploy-diff");
  });
  afterAll(async () => {
    await ns?.remove();
    rest.close();
  });

  /** The one manifest; only apiVersion and name (hence the app label) differ. */
  const manifest = (side: Side): Deployment => ({
    apiVersion: side.apiVersion,
    kind: "Deployment",
    metadata: { name: side.label, namespace: ns.name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: side.label } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: side.label } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
    },
  });

  const get = (side: Side) => side.deployments.get({ namespace: ns.name, name: side.label });

  const change = (side: Side, edit: (d: Deployment) => Deployment) => eventually(async () => side.deployments.update(edit(await get(side))), { what: `update of ${side.label}` });

  /** What must agree: status counts (missing is 0), conditions (type, status, reason), ReplicaSets (revision, size). */
  async function observed(side: Side) {
    const d = await get(side);
    const s = d.status ?? {};
    const rss = (await side.replicaSets.list({ namespace: ns.name })).items.filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.uid === d.metadata?.uid));
    return {
      status: {
        replicas: s.replicas ?? 0,
        updatedReplicas: s.updatedReplicas ?? 0,
        readyReplicas: s.readyReplicas ?? 0,
        availableReplicas: s.availableReplicas ?? 0,
        unavailableReplicas: s.unavailableReplicas ?? 0,
      },
      conditions: (s.conditions ?? []).map((c) => [c.type, c.status, c.reason]).sort(),
      replicaSets: rss
        .map((rs) => [Number(rs.metadata?.annotations?.[REVISION]), (rs as KubeObject & { spec: { replicas: number } }).spec.replicas])
        .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
    };
  }

  /**
   * The ScalingReplicaSet events in the order they were recorded (by the
   * nanosecond clock in their names), with each ReplicaSet named by its revision.
   */
  async function scalingSteps(side: Side): Promise<string[]> {
    const d = await get(side);
    const revisions = new Map((await side.replicaSets.list({ namespace: ns.name })).items.map((rs) => [rs.metadata?.name ?? "", rs.metadata?.annotations?.[REVISION] ?? "?"]));
    const order = (e: CoreEvent) => BigInt(`0x${(e.metadata?.name ?? "").split(".").at(-1) ?? "0"}`);
    return (await events.list({ namespace: ns.name })).items
      .filter((e) => e.involvedObject.uid === d.metadata?.uid && e.reason === "ScalingReplicaSet")
      .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))
      .map((e) => e.message.replace(/replica set (\S+)/, (_, name: string) => `replica set <revision ${revisions.get(name)}>`));
  }

  const settled = (d: Deployment, done: (d: Deployment) => boolean) => d.status?.observedGeneration === d.metadata?.generation && done(d);
  const complete = (d: Deployment) =>
    d.status?.updatedReplicas === d.spec.replicas &&
    d.status?.replicas === d.spec.replicas &&
    d.status?.availableReplicas === d.spec.replicas &&
    !!d.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "NewReplicaSetAvailable");
  const timedOut = (d: Deployment) => !!d.status?.conditions?.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded");

  async function bothReach(what: string, done: (d: Deployment) => boolean, timeoutMs = 90_000) {
    await Promise.all(sides.map((side) => eventually(async () => settled(await get(side), done), { what: `${side.label}: ${what}`, timeoutMs })));
    const [builtin, mirror] = await Promise.all(sides.map(observed));
    expect(mirror).toEqual(builtin);
    return builtin;
  }

  it("creates and rolls out a new template to the same status, conditions, ReplicaSets and scaling steps", async () => {
    for (const side of sides) await side.deployments.create(manifest(side));
    const created = await bothReach("first rollout complete", complete);
    expect(created).toMatchObject({ status: { replicas: 3, availableReplicas: 3 }, replicaSets: [[1, 3]] });

    for (const side of sides) await change(side, (d) => ({ ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { containers: [{ name: "app", image: "registry.invalid/app:2" }] } } } }));
    const rolled = await bothReach("second rollout complete", complete);
    expect(rolled).toEqual({
      status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0 },
      conditions: [
        ["Available", "True", "MinimumReplicasAvailable"],
        ["Progressing", "True", "NewReplicaSetAvailable"],
      ],
      replicaSets: [
        [1, 0],
        [2, 3],
      ],
    });
    // Once the old ReplicaSet reaches 0 the events are all written; the last may still be on its way.
    const [builtin, mirror] = await eventually(async () => {
      const steps = await Promise.all(sides.map(scalingSteps));
      return steps.every((s) => s.length === 7) ? steps : undefined;
    }, { what: "7 scaling events on each side" });
    expect(mirror).toEqual(builtin);
    expect(builtin).toEqual([
      "Scaled up replica set <revision 1> from 0 to 3",
      "Scaled up replica set <revision 2> from 0 to 1",
      "Scaled down replica set <revision 1> from 3 to 2",
      "Scaled up replica set <revision 2> from 1 to 2",
      "Scaled down replica set <revision 1> from 2 to 1",
      "Scaled up replica set <revision 2> from 2 to 3",
      "Scaled down replica set <revision 1> from 1 to 0",
    ]);
  });

  it("runs a never-ready template into ProgressDeadlineExceeded the same way", async () => {
    for (const side of sides) {
      await change(side, (d) => ({
        ...d,
        spec: {
          ...d.spec,
          progressDeadlineSeconds: 5,
          template: { metadata: { labels: { app: side.label, ...NEVER_READY } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:3" }] } },
        },
      }));
    }
    const stuck = await bothReach("ProgressDeadlineExceeded", timedOut, 60_000);
    expect(stuck).toEqual({
      status: { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 1 },
      conditions: [
        ["Available", "True", "MinimumReplicasAvailable"],
        ["Progressing", "False", "ProgressDeadlineExceeded"],
      ],
      replicaSets: [
        [1, 0],
        [2, 3],
        [3, 1],
      ],
    });
    const [builtin, mirror] = await Promise.all(sides.map(scalingSteps));
    expect(mirror).toEqual(builtin);
    expect(builtin?.at(-1)).toBe("Scaled up replica set <revision 3> from 0 to 1");
  });
});

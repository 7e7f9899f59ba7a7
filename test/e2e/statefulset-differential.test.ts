import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import { RestClient, ResourceClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject, ResourceRef } from "../../operators/runtime/client/index.ts";
import { Informer, restListWatch } from "../../operators/runtime/informer/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";

// One manifest, applied twice in one namespace: as an apps/v1 StatefulSet
// (kube-controller-manager's controller, pods placed by kube-scheduler) and
// as an apps.mirrorkube.dev StatefulSet (mirrorkube's controller, scheduler
// and realizer). kwok runs both sides' pods the same way. Through creation,
// a rolling update, scaling up and down and a rollback, both sides must
// create and delete their pods in the same order, as watches see it, and
// end in the same status and history.
//
// The local control plane is Kubernetes 1.34, where MaxUnavailableStatefulSet
// is off; mirrorkube follows 1.35, where it is on. With OrderedReady and the
// default maxUnavailable of 1 the two update the same way.
//
// kube-controller-manager sometimes stutters: on a cache that has not yet
// seen a pod it replaced, it deletes the replacement (by name, with no uid
// precondition) and creates it once more, at the same revision. Its record
// is compared with that stutter taken out; mirrorkube's (uid-guarded
// deletes, expectations) must have none.

interface StatefulSet extends KubeObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    serviceName: string;
    template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    collisionCount?: number;
  };
}
interface PodObject extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}
interface Revision extends KubeObject {
  revision: number;
}

interface Seen {
  verb: "create" | "delete";
  ordinal: string;
  revision: string;
}

/** "create 0", "delete 2". */
const steps = (seen: readonly Seen[]) => seen.map((e) => `${e.verb} ${e.ordinal}`);

/** The record without stutters: a pod created at a revision, deleted at it, and created at it again keeps its first creation only. */
function withoutStutters(seen: readonly Seen[]): Seen[] {
  const out: Seen[] = [];
  for (const e of seen) {
    const mine = out.flatMap((x, i) => (x.ordinal === e.ordinal ? [i] : []));
    const [created, deleted] = mine.slice(-2);
    const c = created === undefined ? undefined : out[created];
    const d = deleted === undefined ? undefined : out[deleted];
    if (e.verb === "create" && c?.verb === "create" && d?.verb === "delete" && c.revision === e.revision && d.revision === e.revision && deleted !== undefined) {
      out.splice(deleted, 1);
      continue;
    }
    out.push(e);
  }
  return out;
}

interface Side {
  label: string;
  apiVersion: string;
  sets: ResourceClient<StatefulSet>;
  pods: ResourceRef;
  /** The side's pods by ordinal and revision, in the order a watch saw them come and start to go. */
  seen: Seen[];
  watcher?: Informer<PodObject>;
}

describe("StatefulSet: mirror vs apps/v1, side by side", () => {
  const kc = kubeConfig();
  const rest = new RestClient(kc, "e2e-statefulset-differential");
  const revisions = new ResourceClient<Revision>(rest, { group: "apps", version: "v1", plural: "controllerrevisions", namespaced: true });
  const builtin: Side = {
    label: "builtin",
    apiVersion: "apps/v1",
    sets: new ResourceClient(rest, { group: "apps", version: "v1", plural: "statefulsets", namespaced: true }),
    pods: { group: "", version: "v1", plural: "pods", namespaced: true },
    seen: [],
  };
  const mirror: Side = { label: "mirror", apiVersion: kinds.StatefulSet.apiVersion, sets: new ResourceClient(rest, kindRef(kinds.StatefulSet)), pods: kindRef(kinds.Pod), seen: [] };
  const sides = [builtin, mirror];
  let ns: Awaited<ReturnType<typeof testNamespace>>;

  beforeAll(async () => {
    ns = await testNamespace(kc, "sts-diff");
    for (const side of sides) {
      const ordinal = (p: KubeObject) => p.metadata?.name?.slice(side.label.length + 1);
      side.watcher = new Informer<PodObject>({ resource: `${side.label} pods`, transport: restListWatch(rest, { ...side.pods, namespace: ns.name, labelSelector: `app=${side.label}` }) });
      const record = (verb: Seen["verb"], p: KubeObject) => side.seen.push({ verb, ordinal: ordinal(p) ?? "", revision: p.metadata?.labels?.["controller-revision-hash"] ?? "" });
      side.watcher.addEventHandler({
        add: (p) => record("create", p),
        update: (old, cur) => {
          if (!old.metadata?.deletionTimestamp && cur.metadata?.deletionTimestamp) record("delete", cur);
        },
        delete: (p) => {
          if (!p.metadata?.deletionTimestamp) record("delete", p);
        },
      });
      side.watcher.start();
    }
  });
  afterAll(async () => {
    for (const side of sides) await side.watcher?.stop();
    await ns?.remove();
    rest.close();
  });

  /** The one manifest; only apiVersion and name (hence the app label and the Service name) differ. */
  const manifest = (side: Side): StatefulSet => ({
    apiVersion: side.apiVersion,
    kind: "StatefulSet",
    metadata: { name: side.label, namespace: ns.name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: side.label } },
      serviceName: side.label,
      template: { metadata: { labels: { app: side.label } }, spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] } },
    },
  });

  const get = (side: Side) => side.sets.get({ namespace: ns.name, name: side.label });
  const change = (side: Side, edit: (s: StatefulSet) => StatefulSet) => eventually(async () => side.sets.update(edit(await get(side))), { what: `update of ${side.label}` });
  const setImage = (image: string) => Promise.all(sides.map((side) => change(side, (s) => ({ ...s, spec: { ...s.spec, template: { ...s.spec.template, spec: { containers: [{ name: "app", image }] } } } }))));
  const scale = (replicas: number) => Promise.all(sides.map((side) => change(side, (s) => ({ ...s, spec: { ...s.spec, replicas } }))));

  const settled = (s: StatefulSet) =>
    s.status?.observedGeneration === s.metadata?.generation &&
    s.status?.replicas === s.spec.replicas &&
    s.status?.readyReplicas === s.spec.replicas &&
    s.status?.updatedReplicas === s.spec.replicas &&
    s.status?.currentRevision === s.status?.updateRevision;

  /** What must agree: status counts (missing is 0), revision numbers, and which revision is current. */
  async function observed(side: Side) {
    const s = await get(side);
    const st = s.status ?? {};
    const history = (await revisions.list({ namespace: ns.name })).items.filter((r) => r.metadata?.ownerReferences?.some((o) => o.uid === s.metadata?.uid)).sort((a, b) => a.revision - b.revision);
    return {
      status: {
        observedGeneration: st.observedGeneration,
        replicas: st.replicas ?? 0,
        readyReplicas: st.readyReplicas ?? 0,
        availableReplicas: st.availableReplicas ?? 0,
        currentReplicas: st.currentReplicas ?? 0,
        updatedReplicas: st.updatedReplicas ?? 0,
        collisionCount: st.collisionCount ?? 0,
      },
      revisions: history.map((r) => r.revision),
      currentIsNewest: st.currentRevision === history.at(-1)?.metadata?.name && st.currentRevision === st.updateRevision,
      revisionNames: history.every((r) => r.metadata?.name?.startsWith(`${side.label}-`)),
    };
  }

  /** Waits until both sides settle, then compares them, and their pod histories so far. */
  async function bothSettle(what: string) {
    await Promise.all(sides.map((side) => eventually(async () => settled(await get(side)), { what: `${side.label}: ${what}`, timeoutMs: 120_000 })));
    const [expected, actual] = await Promise.all([observed(builtin), observed(mirror)]);
    expect(actual).toEqual(expected);
    expect(withoutStutters(mirror.seen)).toEqual(mirror.seen);
    expect(steps(mirror.seen)).toEqual(steps(withoutStutters(builtin.seen)));
    return expected;
  }

  it("creates, updates, scales and rolls back in the same order, to the same status and history", async () => {
    for (const side of sides) await side.sets.create(manifest(side));
    const created = await bothSettle("3 ready");
    expect(created.status).toMatchObject({ observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3 });
    expect(steps(mirror.seen)).toEqual(["create 0", "create 1", "create 2"]);

    await setImage("registry.invalid/app:2");
    await bothSettle("updated");
    await scale(5);
    await bothSettle("scaled to 5");
    await scale(2);
    await bothSettle("scaled to 2");
    await setImage("registry.invalid/app:1");
    const final = await bothSettle("rolled back");

    expect(steps(mirror.seen)).toEqual([
      ...["create 0", "create 1", "create 2"],
      ...["delete 2", "create 2", "delete 1", "create 1", "delete 0", "create 0"],
      ...["create 3", "create 4"],
      ...["delete 4", "delete 3", "delete 2"],
      ...["delete 1", "create 1", "delete 0", "create 0"],
    ]);
    expect(final).toEqual({
      status: { observedGeneration: 5, replicas: 2, readyReplicas: 2, availableReplicas: 2, currentReplicas: 2, updatedReplicas: 2, collisionCount: 0 },
      revisions: [2, 3],
      currentIsNewest: true,
      revisionNames: true,
    });
  });
});

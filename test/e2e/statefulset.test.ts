import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { kindRef, kinds } from "../../operators/api/index.ts";
import { run as runCli } from "../../operators/cli/run.ts";
import type { StatefulSetStatus } from "../../operators/api/index.ts";
import { isNotFound, RestClient, ResourceClient } from "../../operators/runtime/client/index.ts";
import type { KubeObject } from "../../operators/runtime/client/index.ts";
import { eventResource } from "../../operators/runtime/events/event.ts";
import type { CoreEvent } from "../../operators/runtime/events/event.ts";
import { Informer, restListWatch } from "../../operators/runtime/informer/index.ts";
import { kubeConfig, testNamespace } from "./support/cluster.ts";
import { eventually } from "./support/eventually.ts";
import { kubectl } from "./support/kubectl.ts";
import { storageClass, storageClients } from "./support/storage.ts";

// The StatefulSet controller in the manager the run starts, with the
// scheduler, the realizer, the storage controllers and kwok running the
// pods. The upstream scenarios, observed only through the API: pods (and the
// order of their creation, readiness and deletion, as a watch sees it),
// claims, ControllerRevisions, status and events; and through
// `mirrorkube rollout status|undo|history`.

const KWOK = "mirrorkube.dev/kwok";
const NEVER_READY = { [KWOK]: "never-ready" };
const REVISION = "controller-revision-hash";

interface SetSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  serviceName?: string;
  podManagementPolicy?: "OrderedReady" | "Parallel";
  updateStrategy?: { type: "RollingUpdate" | "OnDelete"; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
  persistentVolumeClaimRetentionPolicy?: { whenDeleted?: "Retain" | "Delete"; whenScaled?: "Retain" | "Delete" };
  volumeClaimTemplates?: unknown[];
  template: { metadata: { labels: Record<string, string> }; spec: { containers: { name: string; image: string; volumeMounts?: unknown[] }[] } };
}
interface MirrorSet extends KubeObject {
  spec: SetSpec;
  status?: StatefulSetStatus;
}
interface MirrorPod extends KubeObject {
  spec: { hostname?: string; subdomain?: string; volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}
interface Revision extends KubeObject {
  revision: number;
  data: { spec: { template: Record<string, unknown> } };
}

const isReady = (p: MirrorPod | undefined) => !!p?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");

describe("StatefulSet controller", () => {
  const kc = kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const rest = new RestClient(kc, "e2e-statefulset");
  const sets = new ResourceClient<MirrorSet>(rest, kindRef(kinds.StatefulSet));
  const pods = new ResourceClient<MirrorPod>(rest, kindRef(kinds.Pod));
  const claims = new ResourceClient<KubeObject>(rest, kindRef(kinds.PersistentVolumeClaim));
  const revisions = new ResourceClient<Revision>(rest, { group: "apps", version: "v1", plural: "controllerrevisions", namespaced: true });
  const events = new ResourceClient<CoreEvent>(rest, eventResource);
  const storage = storageClients("e2e-statefulset-storage");
  let ns: Awaited<ReturnType<typeof testNamespace>>;
  let n: string;
  let watcher: Informer<MirrorPod>;
  /** What a watch of the namespace's mirror Pods saw, in order: "create web-0", "ready web-0", "delete web-0". */
  const seen: string[] = [];

  beforeAll(async () => {
    ns = await testNamespace(kc, "sts");
    n = ns.name;
    await storage.classes.create(storageClass(`${n}-local`, { volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Delete" }));
    watcher = new Informer<MirrorPod>({ resource: "mirror pods", transport: restListWatch(rest, { ...kindRef(kinds.Pod), namespace: n }) });
    watcher.addEventHandler({
      add: (p) => seen.push(`create ${p.metadata?.name}`),
      update: (old, cur) => {
        if (!old.metadata?.deletionTimestamp && cur.metadata?.deletionTimestamp) seen.push(`delete ${cur.metadata?.name}`);
        if (!isReady(old) && isReady(cur)) seen.push(`ready ${cur.metadata?.name}`);
      },
      delete: (p) => {
        if (!p.metadata?.deletionTimestamp) seen.push(`delete ${p.metadata?.name}`);
      },
    });
    watcher.start();
  });
  afterAll(async () => {
    await watcher?.stop();
    await ns?.remove();
    await storage.classes.delete({ name: `${n}-local` }).catch(() => undefined);
    rest.close();
  });

  const template = (name: string, image = "registry.invalid/app:1", labels: Record<string, string> = {}): SetSpec["template"] => ({
    metadata: { labels: { app: name, ...labels } },
    spec: { containers: [{ name: "app", image }] },
  });

  const create = (name: string, spec: Partial<SetSpec> = {}, labels: Record<string, string> = {}) =>
    sets.create({
      apiVersion: kinds.StatefulSet.apiVersion,
      kind: "StatefulSet",
      metadata: { name, namespace: n },
      spec: { replicas: 3, selector: { matchLabels: { app: name } }, serviceName: name, template: template(name, "registry.invalid/app:1", labels), ...spec },
    });

  const get = (name: string) => sets.get({ namespace: n, name });
  const update = (name: string, edit: (s: MirrorSet) => MirrorSet) => eventually(async () => sets.update(edit(await get(name))), { what: `update of ${name}` });
  const setImage = (name: string, image: string) => update(name, (s) => ({ ...s, spec: { ...s.spec, template: { ...s.spec.template, spec: { containers: [{ name: "app", image }] } } } }));
  const scale = (name: string, replicas: number) => update(name, (s) => ({ ...s, spec: { ...s.spec, replicas } }));
  const getPod = (name: string) => pods.get({ namespace: n, name }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
  const fix = (pod: string) => pods.patch({ namespace: n, name: pod }, { type: "merge", patch: { metadata: { labels: { [KWOK]: null } } } });

  /** The set's pods by ordinal. */
  async function podsOf(name: string): Promise<MirrorPod[]> {
    const list = await pods.list({ namespace: n, labelSelector: `app=${name}` });
    const ordinal = (p: MirrorPod) => Number(p.metadata?.name?.slice(name.length + 1));
    return list.items.sort((a, b) => ordinal(a) - ordinal(b));
  }

  /** `mirrorkube <args>` against the test namespace, as a user runs it (in process). */
  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runCli([...args, "-n", n, `--kubeconfig=${inject("kubeconfig")}`], { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  /** The watch's record for one set's pods. */
  const history = (name: string) => seen.filter((e) => new RegExp(`^\\w+ ${name}-\\d+$`).test(e));

  /** Settled: the status describes the current spec, every replica ready and at the update revision. */
  const settled = (s: MirrorSet) =>
    s.status?.observedGeneration === s.metadata?.generation &&
    s.status?.replicas === s.spec.replicas &&
    s.status?.readyReplicas === s.spec.replicas &&
    s.status?.updatedReplicas === s.spec.replicas &&
    s.status?.currentRevision === s.status?.updateRevision;

  const until = (name: string, what: string, done: (s: MirrorSet) => boolean | undefined | Promise<boolean>, timeoutMs = 90_000) =>
    eventually(async () => {
      const s = await get(name);
      return (await done(s)) ? s : undefined;
    }, { what: `${name}: ${what}`, timeoutMs });

  /** Polls for `ms` that `check` keeps holding: how a test shows the controller waits (it never gets to act otherwise). */
  async function holds(what: string, check: () => Promise<boolean>, ms = 2000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      expect(await check(), what).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function revisionsOf(s: MirrorSet): Promise<Revision[]> {
    const list = await revisions.list({ namespace: n });
    return list.items.filter((r) => r.metadata?.ownerReferences?.some((o) => o.controller && o.uid === s.metadata?.uid)).sort((a, b) => a.revision - b.revision);
  }

  /** The set's events in the order they were recorded (the nanosecond clock in their names). */
  async function eventsOf(s: MirrorSet): Promise<CoreEvent[]> {
    const order = (e: CoreEvent) => BigInt(`0x${(e.metadata?.name ?? "").split(".").at(-1) ?? "0"}`);
    return (await events.list({ namespace: n })).items.filter((e) => e.involvedObject.uid === s.metadata?.uid).sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  it("creates ordered-0, ordered-1, ordered-2 one at a time, each after the previous is Ready", async () => {
    await create("ordered", {}, NEVER_READY);
    for (const i of [0, 1, 2]) {
      // Running but not Ready: the next ordinal waits.
      await eventually(async () => (await getPod(`ordered-${i}`))?.status?.phase === "Running", { what: `ordered-${i} Running` });
      if (i < 2) await holds(`ordered-${i + 1} not created while ordered-${i} is unready`, async () => (await getPod(`ordered-${i + 1}`)) === undefined);
      await fix(`ordered-${i}`);
    }
    const s = await until("ordered", "3 ready", settled);
    expect(history("ordered")).toEqual(["create ordered-0", "ready ordered-0", "create ordered-1", "ready ordered-1", "create ordered-2", "ready ordered-2"]);

    const rev = s.status?.updateRevision ?? "";
    expect(s.status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: rev,
      updateRevision: rev,
      collisionCount: 0,
      selector: "app=ordered",
      ready: "3/3",
    });
    // Identity: name, labels, hostname and subdomain, on the mirror Pod and on the real one.
    const pod = await pods.get({ namespace: n, name: "ordered-1" });
    expect(pod.metadata?.labels).toEqual({ app: "ordered", "statefulset.kubernetes.io/pod-name": "ordered-1", "apps.kubernetes.io/pod-index": "1", [REVISION]: rev });
    expect(pod.metadata?.ownerReferences).toEqual([{ apiVersion: kinds.StatefulSet.apiVersion, kind: "StatefulSet", name: "ordered", uid: s.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(pod.spec).toMatchObject({ hostname: "ordered-1", subdomain: "ordered" });
    const real = await core.readNamespacedPod({ namespace: n, name: "ordered-1" });
    expect(real.spec).toMatchObject({ hostname: "ordered-1", subdomain: "ordered" });

    // History: one apps/v1 ControllerRevision, owned by the mirror set.
    const [only, ...more] = await revisionsOf(s);
    expect(more).toEqual([]);
    expect(only?.metadata?.name).toBe(rev);
    expect(rev).toBe(`ordered-${only?.metadata?.labels?.["controller.kubernetes.io/hash"]}`);
    expect(only?.revision).toBe(1);
    expect(only?.data.spec.template.$patch).toBe("replace");

    expect((await eventsOf(s)).map((e) => [e.type, e.reason, e.message, e.source.component])).toEqual(
      [0, 1, 2].map((i) => ["Normal", "SuccessfulCreate", `create Pod ordered-${i} in StatefulSet ordered successful`, "statefulset-controller"]),
    );
    const printed = await kubectl(["get", "msts", "ordered", "-n", n]);
    expect(printed.stdout.split("\n")[1]).toMatch(/^ordered\s+3\/3\s+\d+s$/);
  });

  it("halts a scale-down on an unready Pod, and brings a Pod deleted by hand back under its name", async () => {
    const before = await pods.get({ namespace: n, name: "ordered-1" });
    await pods.delete({ namespace: n, name: "ordered-1" });
    // Recreated from the template: never Ready until fixed.
    await eventually(async () => {
      const p = await getPod("ordered-1");
      return p && p.metadata?.uid !== before.metadata?.uid && p.status?.phase === "Running";
    }, { what: "ordered-1 back" });
    await scale("ordered", 2);
    await until("ordered", "scale observed", (s) => s.status?.observedGeneration === s.metadata?.generation);
    await holds("ordered-2 kept while ordered-1 is unready", async () => {
      const p = await getPod("ordered-2");
      return !!p && !p.metadata?.deletionTimestamp;
    });
    await fix("ordered-1");
    await until("ordered", "2 ready", settled);
    expect((await podsOf("ordered")).map((p) => p.metadata?.name)).toEqual(["ordered-0", "ordered-1"]);
    expect(history("ordered").slice(6)).toEqual(["delete ordered-1", "create ordered-1", "ready ordered-1", "delete ordered-2"]);
  });

  it("deletes a Failed pod and creates it again under its name", async () => {
    const before = await pods.get({ namespace: n, name: "ordered-0" });
    // kwok fails a pod so labelled about a second after it runs; the label goes with the pod.
    await pods.patch({ namespace: n, name: "ordered-0" }, { type: "merge", patch: { metadata: { labels: { [KWOK]: "fail" } } } });
    await eventually(async () => {
      const p = await getPod("ordered-0");
      return p && p.metadata?.uid !== before.metadata?.uid && p.status?.phase === "Running";
    }, { what: "ordered-0 recreated and Running", timeoutMs: 60_000 });
    // From the template, so never Ready until fixed.
    await fix("ordered-0");
    await until("ordered", "2 ready", settled);
    expect(history("ordered").slice(-3)).toEqual(["delete ordered-0", "create ordered-0", "ready ordered-0"]);
  });

  it("Parallel creates and deletes every pod at once, ready or not", async () => {
    await create("parallel", { podManagementPolicy: "Parallel" }, NEVER_READY);
    await eventually(async () => (await podsOf("parallel")).filter((p) => p.status?.phase === "Running").length === 3, { what: "3 parallel pods Running" });
    expect((await podsOf("parallel")).some(isReady)).toBe(false);
    // Through the scale subresource, as kubectl scale and an HPA use it.
    const scaled = await kubectl(["scale", "msts", "parallel", "--replicas=0", "-n", n]);
    expect(scaled.code, scaled.stderr).toBe(0);
    await eventually(async () => (await podsOf("parallel")).length === 0, { what: "parallel pods gone" });
    const h = history("parallel");
    expect(h.filter((e) => e.startsWith("create")).sort()).toEqual(["create parallel-0", "create parallel-1", "create parallel-2"]);
    expect(h.filter((e) => e.startsWith("delete")).sort()).toEqual(["delete parallel-0", "delete parallel-1", "delete parallel-2"]);
    expect(h.some((e) => e.startsWith("ready"))).toBe(false);
  });

  it("rolls an update from the highest ordinal down, one at a time, and `rollout undo` reuses the old revision", async () => {
    await create("roll");
    const first = await until("roll", "3 ready", settled);
    const rev1 = first.status?.updateRevision ?? "";
    const mark = history("roll").length;

    /** At every poll: at most one replica missing, unready or terminating (recorded, so a retry cannot hide it). */
    const violations: string[] = [];
    const oneAtATime = async (s: MirrorSet) => {
      const current = await podsOf("roll");
      const healthy = current.filter((p) => isReady(p) && !p.metadata?.deletionTimestamp);
      if (healthy.length < 2) violations.push(healthy.map((p) => p.metadata?.name).join(","));
      return settled(s) && current.every((p) => p.metadata?.labels?.[REVISION] === s.status?.updateRevision);
    };
    await setImage("roll", "registry.invalid/app:2");
    const second = await until("roll", "updated to app:2", async (s) => s.status?.updateRevision !== rev1 && (await oneAtATime(s)));
    const rev2 = second.status?.updateRevision ?? "";
    const replaced = ["roll-2", "roll-1", "roll-0"].flatMap((p) => [`delete ${p}`, `create ${p}`, `ready ${p}`]);
    expect(history("roll").slice(mark)).toEqual(replaced);
    expect((await revisionsOf(second)).map((r) => [r.metadata?.name, r.revision])).toEqual([
      [rev1, 1],
      [rev2, 2],
    ]);

    expect(await cli("rollout", "status", "statefulset/roll")).toEqual({ code: 0, out: "partitioned roll out complete: 3 new pods have been updated...\n", err: "" });
    expect(await cli("rollout", "undo", "sts/roll")).toEqual({ code: 0, out: "statefulset.apps.mirrorkube.dev/roll rolled back\n", err: "" });
    const back = await until("roll", "rolled back", async (s) => s.status?.updateRevision === rev1 && (await oneAtATime(s)));
    expect(back.status).toMatchObject({ currentRevision: rev1, updateRevision: rev1, updatedReplicas: 3, currentReplicas: 3 });
    // The old revision is reused, renumbered; no third object.
    expect((await revisionsOf(back)).map((r) => [r.metadata?.name, r.revision])).toEqual([
      [rev2, 2],
      [rev1, 3],
    ]);
    expect(history("roll").slice(mark + replaced.length)).toEqual(replaced);
    expect(violations).toEqual([]);
    expect((await cli("rollout", "history", "msts", "roll")).out).toContain(["REVISION  CHANGE-CAUSE", "2         <none>", "3         <none>", ""].join("\n"));
    expect(await cli("rollout", "undo", "sts/roll", "--to-revision=3")).toMatchObject({ code: 0, out: "statefulset.apps.mirrorkube.dev/roll skipped rollback (current template already matches revision 3)\n" });
  });

  it("updates only ordinals at or above the partition: 3, then 2, then 0", async () => {
    await create("part", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 3 } } });
    const rev1 = (await until("part", "3 ready", settled)).status?.updateRevision;
    const revisionsOfPods = async () => (await podsOf("part")).map((p) => p.metadata?.labels?.[REVISION]);
    const withPartition = (partition: number) => update("part", (s) => ({ ...s, spec: { ...s.spec, updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition } } } }));

    await setImage("part", "registry.invalid/app:2");
    const pending = await until("part", "update revision", (s) => s.status?.observedGeneration === s.metadata?.generation && s.status?.updateRevision !== rev1);
    const rev2 = pending.status?.updateRevision;
    await holds("no pod updated at partition 3", async () => JSON.stringify(await revisionsOfPods()) === JSON.stringify([rev1, rev1, rev1]));
    expect(pending.status).toMatchObject({ currentRevision: rev1, updatedReplicas: 0, currentReplicas: 3 });

    await withPartition(2);
    await until("part", "part-2 updated", (s) => s.status?.updatedReplicas === 1 && s.status?.readyReplicas === 3 && s.status.observedGeneration === s.metadata?.generation);
    expect(await revisionsOfPods()).toEqual([rev1, rev1, rev2]);
    await holds("part-0 and part-1 kept at partition 2", async () => JSON.stringify(await revisionsOfPods()) === JSON.stringify([rev1, rev1, rev2]));

    await withPartition(0);
    const done = await until("part", "all updated", settled);
    expect(done.status?.currentRevision).toBe(rev2);
    expect(await revisionsOfPods()).toEqual([rev2, rev2, rev2]);
  });

  it("OnDelete updates a pod only when it is deleted", async () => {
    await create("ondelete", { updateStrategy: { type: "OnDelete" } });
    const rev1 = (await until("ondelete", "3 ready", settled)).status?.updateRevision;
    const uids = async () => (await podsOf("ondelete")).map((p) => p.metadata?.uid);
    const before = await uids();
    await setImage("ondelete", "registry.invalid/app:2");
    const s = await until("ondelete", "update revision", (x) => x.status?.observedGeneration === x.metadata?.generation && x.status?.updateRevision !== rev1);
    await holds("no pod replaced", async () => JSON.stringify(await uids()) === JSON.stringify(before));

    await pods.delete({ namespace: n, name: "ondelete-1" });
    await until("ondelete", "ondelete-1 replaced", (x) => x.status?.updatedReplicas === 1 && x.status?.readyReplicas === 3);
    expect((await podsOf("ondelete")).map((p) => p.metadata?.labels?.[REVISION])).toEqual([rev1, s.status?.updateRevision, rev1]);
    // As upstream, OnDelete never moves currentRevision.
    expect((await get("ondelete")).status).toMatchObject({ currentRevision: rev1, currentReplicas: 2 });
  });

  const withClaims = (retention: SetSpec["persistentVolumeClaimRetentionPolicy"]): Partial<SetSpec> => ({
    persistentVolumeClaimRetentionPolicy: retention,
    volumeClaimTemplates: [
      {
        metadata: { name: "datadir", labels: { tier: "data" } },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: `${n}-local`, resources: { requests: { storage: "1Gi" } } },
      },
    ],
  });
  const claimNames = async (app: string) => (await claims.list({ namespace: n, labelSelector: `app=${app}` })).items.map((c) => c.metadata?.name).sort();

  it("creates each pod's claim before it, keeps it across the pod's deletion, and deletes scaled-down claims under whenScaled=Delete", async () => {
    await create("ss", withClaims({ whenScaled: "Delete" }));
    const s = await until("ss", "3 ready", settled, 120_000);
    expect(await claimNames("ss")).toEqual(["datadir-ss-0", "datadir-ss-1", "datadir-ss-2"]);
    const claim0 = await claims.get({ namespace: n, name: "datadir-ss-0" });
    expect(claim0.metadata?.labels).toEqual({ tier: "data", app: "ss" });
    // In range under whenScaled=Delete, whenDeleted=Retain: nobody owns it.
    expect(claim0.metadata?.ownerReferences).toBeUndefined();
    expect((claim0 as KubeObject & { status?: { phase?: string } }).status?.phase).toBe("Bound");
    const pod0 = await pods.get({ namespace: n, name: "ss-0" });
    expect(pod0.spec.volumes).toContainEqual({ name: "datadir", persistentVolumeClaim: { claimName: "datadir-ss-0" } });
    const messages = (await eventsOf(s)).map((e) => e.message);
    for (const i of [0, 1, 2]) {
      const claimEvent = messages.indexOf(`create Claim datadir-ss-${i} Pod ss-${i} in StatefulSet ss success`);
      expect(claimEvent).toBeGreaterThanOrEqual(0);
      expect(messages.indexOf(`create Pod ss-${i} in StatefulSet ss successful`)).toBeGreaterThan(claimEvent);
    }

    await pods.delete({ namespace: n, name: "ss-0" });
    const again = await eventually(async () => {
      const p = await getPod("ss-0");
      return p && p.metadata?.uid !== pod0.metadata?.uid && isReady(p) ? p : undefined;
    }, { what: "ss-0 back and Ready", timeoutMs: 60_000 });
    expect(again.spec.volumes).toContainEqual({ name: "datadir", persistentVolumeClaim: { claimName: "datadir-ss-0" } });
    expect((await claims.get({ namespace: n, name: "datadir-ss-0" })).metadata?.uid).toBe(claim0.metadata?.uid);

    await scale("ss", 1);
    await until("ss", "1 ready", settled);
    await eventually(async () => JSON.stringify(await claimNames("ss")) === JSON.stringify(["datadir-ss-0"]), { what: "only datadir-ss-0 left", timeoutMs: 60_000 });
    expect((await podsOf("ss")).map((p) => p.metadata?.name)).toEqual(["ss-0"]);
  });

  it("deletes the claims with the set under whenDeleted=Delete", async () => {
    await create("wd", { ...withClaims({ whenDeleted: "Delete" }), replicas: 2 });
    const s = await until("wd", "2 ready", settled, 120_000);
    const claim = await claims.get({ namespace: n, name: "datadir-wd-1" });
    expect(claim.metadata?.ownerReferences).toEqual([{ apiVersion: kinds.StatefulSet.apiVersion, kind: "StatefulSet", name: "wd", uid: s.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    await sets.delete({ namespace: n, name: "wd" });
    await eventually(async () => (await claimNames("wd")).length === 0 && (await podsOf("wd")).length === 0, { what: "claims and pods of wd gone", timeoutMs: 90_000 });
  });
});

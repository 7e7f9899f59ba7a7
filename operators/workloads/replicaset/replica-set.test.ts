import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { kinds } from "../../api/index.ts";
import { ApiError } from "../../runtime/client/index.ts";
import type { KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import { Expectations } from "../../runtime/expectations.ts";
import { Store } from "../../runtime/informer/store.ts";
import type { NewPod } from "../common/index.ts";
import { INVALID_OBJECT_REASON } from "../common/index.ts";
import { makePod, NOW, replicaSetObject, rsRef } from "../common/testing.ts";
import type { PodKnobs, ReplicaSetKnobs } from "../common/testing.ts";
import { ReplicaSetController } from "./replica-set.ts";

const log = pino({ level: "silent" });
const req = { namespace: "ns", name: "web" };

/**
 * The controller's world: the two caches (filled by hand, so a test decides
 * how stale they are), clients that record every write, and the events.
 */
class World {
  readonly replicaSets = new Store<KubeObject>();
  readonly pods = new Store<KubeObject>();
  readonly created: NewPod[] = [];
  readonly deleted: string[] = [];
  readonly patches: { name: string; patch: Patch }[] = [];
  readonly statusWrites: KubeObject[] = [];
  readonly events: string[] = [];
  liveGets = 0;
  createError: (() => unknown) | undefined;
  deleteError: ((name: string) => unknown) | undefined;
  /** What a live GET of the ReplicaSet returns; the cached one by default. */
  live: KubeObject | undefined;
  private seq = 0;
  readonly controller: ReplicaSetController;

  constructor(readonly expectations = new Expectations()) {
    this.controller = this.makeController();
  }

  private makeController(): ReplicaSetController {
    return new ReplicaSetController({
    replicaSets: this.replicaSets,
    pods: this.pods,
    replicaSetClient: {
      get: async (key: ObjectKey) => {
        this.liveGets++;
        const obj = this.live ?? this.replicaSets.get(`${key.namespace}/${key.name}`);
        if (!obj) throw new ApiError(404, "NotFound", "not found");
        return obj;
      },
      updateStatus: async (obj: KubeObject) => {
        this.statusWrites.push(obj);
        const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(Number(obj.metadata?.resourceVersion ?? 0) + 1) } };
        this.replicaSets.upsert(stored);
        return stored;
      },
    },
    podClient: {
      create: async (pod: NewPod) => {
        const err = this.createError?.();
        if (err) throw err;
        this.created.push(pod);
        const n = ++this.seq;
        return { ...pod, metadata: { ...pod.metadata, name: `${pod.metadata?.generateName}${String(n).padStart(5, "x")}`, uid: `new-${n}` } };
      },
      delete: async (key: ObjectKey) => {
        const err = this.deleteError?.(key.name);
        if (err) throw err;
        this.deleted.push(key.name);
        return {};
      },
      patch: async (key: ObjectKey, patch: Patch) => {
        this.patches.push({ name: key.name, patch });
        return {};
      },
    },
    events: { event: (_obj, type, reason, message) => this.events.push(`${type} ${reason} ${message}`) },
    expectations: this.expectations,
    now: () => NOW,
    });
  }

  rs(k: ReplicaSetKnobs = {}): this {
    this.replicaSets.upsert(replicaSetObject(k) as KubeObject);
    return this;
  }

  pod(k: PodKnobs): this {
    this.pods.upsert(makePod(k) as unknown as KubeObject);
    return this;
  }

  /** Pods owned by the default ReplicaSet, Running and Ready. */
  owned(n: number, k: PodKnobs = {}): this {
    for (let i = 0; i < n; i++) this.pod({ owner: rsRef(), phase: "Running", readySince: 600, nodeName: "node-a", createdAgo: 3600, ...k });
    return this;
  }

  sync() {
    return this.controller.sync(req, { log });
  }

  lastStatus(): Record<string, unknown> | undefined {
    return (this.statusWrites.at(-1) as { status?: Record<string, unknown> } | undefined)?.status;
  }
}

describe("ReplicaSetController.sync: creating", () => {
  it("creates the missing pods from the template, owned by the ReplicaSet, and records each", async () => {
    const w = new World().rs({ replicas: 3 });
    await w.sync();
    expect(w.created).toHaveLength(3);
    for (const pod of w.created) {
      expect(pod.metadata).toEqual({ generateName: "web-", namespace: "ns", labels: { app: "web" }, ownerReferences: [rsRef()] });
      expect(pod.apiVersion).toBe(kinds.Pod.apiVersion);
      expect(pod.spec.containers[0]?.image).toBe("registry.invalid/app:1");
    }
    expect(w.events).toEqual(["Normal SuccessfulCreate Created pod: web-xxxx1", "Normal SuccessfulCreate Created pod: web-xxxx2", "Normal SuccessfulCreate Created pod: web-xxxx3"]);
    // The cache has not seen them yet: status says so.
    expect(w.lastStatus()).toEqual({ replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1, selector: "app=web" });
  });

  it("creates nothing more while the cache has not observed its creations (a stale cache never over-creates)", async () => {
    const w = new World().rs({ replicas: 3 });
    await w.sync();
    await w.sync();
    expect(w.created).toHaveLength(3);
    // The informer reports two of them: still waiting for the third.
    const handlers = w.controller.podEventHandlers({ enqueue: () => undefined, enqueueAfter: () => undefined });
    w.owned(2);
    for (const p of w.pods.list()) handlers.add?.(p);
    await w.sync();
    expect(w.created).toHaveLength(3);
    w.owned(1);
    handlers.add?.(w.pods.list().at(-1)!);
    await w.sync();
    expect(w.created).toHaveLength(3);
    expect(w.lastStatus()).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it("acts again once the expectations expire (a lost event cannot wedge a ReplicaSet)", async () => {
    let now = 0;
    const clock = { now: () => now, setTimer: () => () => undefined };
    const w = new World(new Expectations(clock)).rs({ replicas: 1 });
    await w.sync();
    await w.sync();
    expect(w.created).toHaveLength(1);
    now += 5 * 60_000 + 1;
    await w.sync();
    expect(w.created).toHaveLength(2);
  });

  it("creates at most the burst per sync", async () => {
    const w = new World().rs({ replicas: 600 });
    await w.sync();
    expect(w.created).toHaveLength(500);
  });

  it("replaces failed and terminating pods, which do not count", async () => {
    const w = new World().rs({ replicas: 2 }).owned(1).owned(1, { phase: "Failed", readySince: false }).owned(1, { deleting: true });
    await w.sync();
    expect(w.created).toHaveLength(1);
    expect(w.deleted).toEqual([]);
    expect(w.lastStatus()).toMatchObject({ replicas: 1 });
  });
});

describe("ReplicaSetController.sync: failing to create", () => {
  const quota = () => new ApiError(403, "Forbidden", 'pods.core.mirrorkube.dev "web-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');

  it("stops after the first failed batch, records FailedCreate and the ReplicaFailure condition, and retries", async () => {
    const w = new World().rs({ replicas: 5 });
    w.createError = quota;
    await expect(w.sync()).rejects.toThrow("exceeded quota");
    expect(w.created).toHaveLength(0);
    expect(w.events).toEqual([`Warning FailedCreate Error creating: ${quota().message}`]);
    expect(w.lastStatus()?.conditions).toEqual([{ type: "ReplicaFailure", status: "True", reason: "FailedCreate", message: quota().message, lastTransitionTime: "2024-05-01T12:00:00Z" }]);
    // Nothing is expected of the skipped creations: the retry acts at once.
    expect(w.expectations.satisfied("ns/web")).toBe(true);
  });

  it("clears the condition after a sync that succeeds", async () => {
    const w = new World().rs({ replicas: 2 });
    w.createError = quota;
    await w.sync().catch(() => undefined);
    w.createError = undefined;
    await w.sync();
    expect(w.created).toHaveLength(2);
    expect(w.lastStatus()?.conditions).toBeUndefined();
  });

  it("lowers the expectations by exactly the pods never created", async () => {
    const w = new World().rs({ replicas: 7 });
    let calls = 0;
    // Batches 1, 2, 4: the second call fails, so batch 2 ends with one pod made and batch 4 never runs.
    w.createError = () => (++calls === 2 ? quota() : undefined);
    await w.sync().catch(() => undefined);
    expect(w.created).toHaveLength(2);
    const handlers = w.controller.podEventHandlers({ enqueue: () => undefined, enqueueAfter: () => undefined });
    w.owned(1);
    handlers.add?.(w.pods.list()[0]!);
    expect(w.expectations.satisfied("ns/web")).toBe(false);
    w.owned(1);
    handlers.add?.(w.pods.list()[1]!);
    expect(w.expectations.satisfied("ns/web")).toBe(true);
  });

  it("says nothing when the namespace is terminating", async () => {
    const w = new World().rs({ replicas: 2 });
    w.createError = () => new ApiError(403, "Forbidden", "namespace ns is being terminated", { causes: [{ reason: "NamespaceTerminating", message: "namespace ns is being terminated" }] });
    await w.sync();
    expect(w.events).toEqual([]);
    expect(w.lastStatus()?.conditions).toBeUndefined();
  });
});

describe("ReplicaSetController.sync: deleting", () => {
  it("deletes the surplus in rank order and records each", async () => {
    const w = new World().rs({ replicas: 2 }).owned(2).owned(1, { name: "unready", readySince: false });
    await w.sync();
    expect(w.deleted).toEqual(["unready"]);
    expect(w.events).toEqual(["Normal SuccessfulDelete Deleted pod: unready"]);
    expect(w.expectations.satisfied("ns/web")).toBe(false);
    // The deletion shows as a deletionTimestamp first (a graceful deletion): that is enough.
    const handlers = w.controller.podEventHandlers({ enqueue: () => undefined, enqueueAfter: () => undefined });
    const before = w.pods.list().find((p) => p.metadata?.name === "unready")!;
    handlers.update?.(before, { ...before, metadata: { ...before.metadata, resourceVersion: "2", deletionTimestamp: "2024-05-01T12:00:00Z" } });
    expect(w.expectations.satisfied("ns/web")).toBe(true);
  });

  it("prefers the pod with the lower pod-deletion-cost", async () => {
    const w = new World().rs({ replicas: 1 }).owned(1, { name: "keep", cost: "100" }).owned(1, { name: "drop" });
    await w.sync();
    expect(w.deleted).toEqual(["drop"]);
  });

  it("records FailedDelete and the condition on an error; a pod already gone is fine", async () => {
    const w = new World().rs({ replicas: 0 }).owned(1, { name: "a" }).owned(1, { name: "b" });
    w.deleteError = (name) => (name === "a" ? new ApiError(500, "InternalError", "etcd is sad") : new ApiError(404, "NotFound", "gone"));
    await expect(w.sync()).rejects.toThrow("unable to delete pods: etcd is sad");
    expect(w.events).toEqual(["Warning FailedDelete Error deleting: etcd is sad"]);
    expect(w.lastStatus()?.conditions).toMatchObject([{ type: "ReplicaFailure", reason: "FailedDelete", message: "unable to delete pods: etcd is sad" }]);
    // Neither deletion will be observed: nothing left to wait for.
    expect(w.expectations.satisfied("ns/web")).toBe(true);
  });

  it("ranks by the pods of sibling ReplicaSets of the same Deployment on each node", async () => {
    const deployment = { apiVersion: "apps.mirrorkube.dev/v1alpha1", kind: "Deployment", name: "d", uid: "d-uid", controller: true };
    const w = new World().rs({ replicas: 1, owner: deployment });
    w.replicaSets.upsert({ ...replicaSetObject({ name: "old", uid: "old-uid", owner: deployment, selector: { app: "old" } }) } as KubeObject);
    w.owned(1, { name: "on-a", nodeName: "node-a", createdAgo: 10 }).owned(1, { name: "on-b", nodeName: "node-b", createdAgo: 100_000 });
    w.pod({ labels: { app: "old" }, owner: rsRef("old-uid", "old"), nodeName: "node-b", phase: "Running", readySince: 5 });
    await w.sync();
    // Without the sibling, the younger on-a would go; node-b is the crowded one.
    expect(w.deleted).toEqual(["on-b"]);
  });

  it("does not rank by node for a ReplicaSet without a controller (as upstream)", async () => {
    const w = new World().rs({ replicas: 1 });
    w.owned(1, { name: "young-a", nodeName: "node-a", createdAgo: 10 }).owned(1, { name: "old-b", nodeName: "node-b", createdAgo: 100_000 });
    w.pod({ labels: { other: "x" }, nodeName: "node-b", phase: "Running" });
    await w.sync();
    expect(w.deleted).toEqual(["young-a"]);
  });
});

describe("ReplicaSetController.sync: claiming", () => {
  it("adopts a matching orphan after a live check of the ReplicaSet, and counts it", async () => {
    const w = new World().rs({ replicas: 2 }).owned(1).pod({ name: "orphan", phase: "Running", readySince: 60, resourceVersion: "4" });
    await w.sync();
    expect(w.liveGets).toBe(1);
    expect(w.patches).toEqual([{ name: "orphan", patch: { type: "merge", patch: { metadata: { uid: expect.any(String), resourceVersion: "4", ownerReferences: [rsRef()] } } } }]);
    expect(w.created).toHaveLength(0);
    expect(w.lastStatus()).toMatchObject({ replicas: 2 });
  });

  it("adopts nothing when the live ReplicaSet is being deleted, and fails the sync", async () => {
    const w = new World().rs({ replicas: 1 }).pod({ name: "orphan" });
    w.live = replicaSetObject({ deleting: true }) as KubeObject;
    await expect(w.sync()).rejects.toThrow(/can't adopt Pod ns\/orphan .*has just been deleted/);
    expect(w.patches).toEqual([]);
    expect(w.created).toHaveLength(0);
  });

  it("releases a pod whose labels no longer match, and replaces it", async () => {
    const w = new World().rs({ replicas: 1 }).owned(1, { name: "moved", labels: { app: "elsewhere" } });
    await w.sync();
    expect(w.patches.map((p) => [p.name, (p.patch.patch as { metadata: { ownerReferences: unknown } }).metadata.ownerReferences])).toEqual([["moved", null]]);
    expect(w.created).toHaveLength(1);
  });

  it("leaves other owners' pods alone, even when they match", async () => {
    const w = new World().rs({ replicas: 1 }).pod({ owner: rsRef("other-uid", "other"), phase: "Running" });
    await w.sync();
    expect(w.patches).toEqual([]);
    expect(w.created).toHaveLength(1);
  });
});

describe("ReplicaSetController.sync: status and lifecycle", () => {
  it("writes status only when it changed", async () => {
    const w = new World().rs({ replicas: 2 }).owned(2);
    await w.sync();
    expect(w.statusWrites).toHaveLength(1);
    expect(w.lastStatus()).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1, selector: "app=web" });
    await w.sync();
    expect(w.statusWrites).toHaveLength(1);
  });

  it("sends the whole cached object with its resourceVersion, so a stale one fails with a conflict", async () => {
    const w = new World().rs({ replicas: 0 });
    await w.sync();
    expect(w.statusWrites[0]?.metadata?.resourceVersion).toBe("10");
    expect(w.statusWrites[0]?.metadata?.name).toBe("web");
  });

  it("syncs again after minReadySeconds while ready pods are not yet available", async () => {
    const w = new World().rs({ replicas: 2, minReadySeconds: 30 }).owned(2, { readySince: 10 });
    expect(await w.sync()).toEqual({ requeueAfterMs: 30_000 });
    expect(w.lastStatus()).toMatchObject({ readyReplicas: 2, availableReplicas: 0 });
    const done = new World().rs({ replicas: 2, minReadySeconds: 30 }).owned(2, { readySince: 60 });
    expect(await done.sync()).toBeUndefined();
  });

  it("creates and deletes nothing while the ReplicaSet is being deleted, but keeps its status true", async () => {
    const w = new World().rs({ replicas: 3, deleting: true }).owned(1);
    await w.sync();
    expect(w.created).toHaveLength(0);
    expect(w.lastStatus()).toMatchObject({ replicas: 1 });
  });

  it("forgets the expectations of a ReplicaSet that is gone", async () => {
    const w = new World();
    w.expectations.expectCreations("ns/web", 3);
    await w.sync();
    expect(w.expectations.satisfied("ns/web")).toBe(true);
    expect(w.statusWrites).toHaveLength(0);
  });

  it("skips a malformed ReplicaSet with one Warning event and no error", async () => {
    const w = new World();
    w.replicaSets.upsert({ ...replicaSetObject(), spec: { replicas: "three" } } as KubeObject);
    await expect(w.sync()).resolves.toBeUndefined();
    await w.sync();
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatch(new RegExp(`^Warning ${INVALID_OBJECT_REASON} ReplicaSet "ns/web" is invalid: spec\\.replicas`));
    expect(w.created).toHaveLength(0);
    expect(w.statusWrites).toHaveLength(0);
  });

  it("ignores pods that do not parse", async () => {
    const w = new World().rs({ replicas: 1 });
    w.pods.upsert({ metadata: { name: "broken", namespace: "ns", labels: { app: "web" } }, spec: {} } as KubeObject);
    await w.sync();
    expect(w.created).toHaveLength(1);
    expect(w.patches).toEqual([]);
  });
});

describe("ReplicaSetController.podEventHandlers, against the ReplicaSet cache", () => {
  function handlers(w: World) {
    const queued: string[] = [];
    const h = w.controller.podEventHandlers({ enqueue: (k) => queued.push(k), enqueueAfter: (k, ms) => queued.push(`${k} after ${ms}`) });
    return { h, queued };
  }
  const raw = (k: PodKnobs) => makePod(k) as unknown as KubeObject;

  it("wakes the ReplicaSets whose selector matches an orphan", () => {
    const w = new World().rs({ name: "web" }).rs({ name: "api", uid: "api-uid", selector: { app: "api" } });
    const { h, queued } = handlers(w);
    h.add?.(raw({ labels: { app: "api" } }));
    expect(queued).toEqual(["ns/api"]);
  });

  it("resolves an owner by name and UID, and only a mirror ReplicaSet", () => {
    const w = new World().rs();
    const { h, queued } = handlers(w);
    h.add?.(raw({ owner: rsRef("another-uid") }));
    h.add?.(raw({ owner: { ...rsRef(), apiVersion: "apps/v1" } }));
    expect(queued).toEqual([]);
    h.add?.(raw({ owner: rsRef() }));
    expect(queued).toEqual(["ns/web"]);
  });

  it("rechecks a ReplicaSet with minReadySeconds when its pod becomes ready", () => {
    const w = new World().rs({ minReadySeconds: 5 });
    const { h, queued } = handlers(w);
    const before = raw({ owner: rsRef(), readySince: false, uid: "p1", resourceVersion: "1" });
    const after = raw({ owner: rsRef(), readySince: 0, uid: "p1", resourceVersion: "2" });
    h.update?.(before, after);
    expect(queued).toEqual(["ns/web", "ns/web after 6000"]);
  });

  it("forgets expectations when the ReplicaSet is deleted or replaced by a namesake", () => {
    const w = new World().rs();
    const rsHandlers = w.controller.replicaSetEventHandlers();
    const obj = w.replicaSets.get("ns/web")!;
    w.expectations.expectCreations("ns/web", 2);
    rsHandlers.update?.(obj, { ...obj, metadata: { ...obj.metadata, uid: "new-uid" } });
    expect(w.expectations.satisfied("ns/web")).toBe(true);
    w.expectations.expectCreations("ns/web", 2);
    rsHandlers.delete?.(obj, false);
    expect(w.expectations.satisfied("ns/web")).toBe(true);
  });
});

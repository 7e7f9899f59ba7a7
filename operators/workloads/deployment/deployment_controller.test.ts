import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { Deployment, ReplicaSet } from "../../api/index.ts";
import { ApiError } from "../../runtime/client/index.ts";
import type { JsonPatchOperation, KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import { Store } from "../../runtime/informer/store.ts";
import { DeploymentController } from "./deployment_controller.ts";
import { at, deployment, podOf, replicaSetFor } from "./testdata/fixtures.ts";
import { computeHash } from "./util/hash.ts";

const log = pino({ level: "silent" });
const req = { namespace: "ns", name: "web" };
const asKube = (o: unknown) => structuredClone(o) as KubeObject;

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...(typeof target === "object" && target !== null ? (target as Record<string, unknown>) : {}) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * A fake API server behind the caches: writes land in the stores at once
 * (a fresh cache), resourceVersions are checked and bumped, and every
 * write and event is recorded.
 */
class World {
  readonly deployments = new Store<KubeObject>();
  readonly replicaSets = new Store<KubeObject>();
  readonly pods = new Store<KubeObject>();
  readonly writes: string[] = [];
  readonly events: string[] = [];
  readonly statusWrites: KubeObject[] = [];
  createError: unknown;
  private rv = 1000;
  readonly controller: DeploymentController;

  constructor(now = at(10)) {
    this.controller = new DeploymentController({
      deployments: this.deployments,
      replicaSets: this.replicaSets,
      pods: this.pods,
      deploymentClient: {
        get: async (key) => this.get(this.deployments, key),
        patch: async (key, patch) => this.patch(this.deployments, "deployment", key, patch),
        updateStatus: async (obj) => {
          const stored = this.get(this.deployments, { namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? "" });
          this.checkVersion(stored, obj.metadata?.resourceVersion);
          this.writes.push("deployment status");
          this.statusWrites.push(obj);
          return this.store(this.deployments, { ...stored, status: (obj as { status?: unknown }).status } as KubeObject);
        },
      },
      replicaSetClient: {
        get: async (key) => this.get(this.replicaSets, key),
        create: async (obj) => {
          if (this.createError) throw this.createError;
          const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
          if (this.replicaSets.get(key)) throw new ApiError(409, "AlreadyExists", `replicasets "${obj.metadata?.name}" already exists`);
          this.writes.push(`create ${obj.metadata?.name} ${(obj as ReplicaSet).spec.replicas}`);
          return this.store(this.replicaSets, { ...obj, metadata: { ...obj.metadata, uid: `uid-${obj.metadata?.name}` } });
        },
        patch: async (key, patch) => this.patch(this.replicaSets, "rs", key, patch),
        delete: async (key) => {
          this.writes.push(`delete ${key.name}`);
          this.replicaSets.remove(`${key.namespace}/${key.name}`);
        },
      },
      events: { event: (obj, type, reason, message) => this.events.push(`${obj.kind}/${obj.metadata?.name} ${type} ${reason}: ${message}`) },
      now: () => now,
    });
  }

  sync() {
    return this.controller.sync(req, { log });
  }

  add(store: Store<KubeObject>, obj: unknown): void {
    store.upsert(asKube(obj));
  }

  deployment(): Deployment {
    return this.deployments.get("ns/web") as unknown as Deployment;
  }

  private get(store: Store<KubeObject>, key: ObjectKey): KubeObject {
    const obj = store.get(`${key.namespace}/${key.name}`);
    if (!obj) throw new ApiError(404, "NotFound", `${key.name} not found`);
    return obj;
  }

  private checkVersion(stored: KubeObject, version: unknown): void {
    if (version !== undefined && version !== stored.metadata?.resourceVersion) throw new ApiError(409, "Conflict", "the object has been modified");
  }

  private store(store: Store<KubeObject>, obj: KubeObject): KubeObject {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } };
    store.upsert(stored);
    return stored;
  }

  private patch(store: Store<KubeObject>, what: string, key: ObjectKey, patch: Patch): KubeObject {
    const stored = this.get(store, key);
    if (patch.type === "merge") {
      const meta = patch.patch.metadata as { resourceVersion?: string; uid?: string } | undefined;
      this.checkVersion(stored, meta?.resourceVersion);
      this.writes.push(`patch ${what} ${key.name} ${JSON.stringify(patch.patch)}`);
      return this.store(store, mergePatch(stored, patch.patch) as KubeObject);
    }
    let next = structuredClone(stored) as unknown as Record<string, Record<string, unknown>>;
    for (const op of patch.patch as JsonPatchOperation[]) {
      const [, top, field] = op.path.split("/") as [string, string, string];
      if (op.op === "test") this.checkVersion(stored, op.value);
      else next = { ...next, [top]: { ...next[top], [field]: op.value } };
    }
    this.writes.push(`json-patch ${what} ${key.name} ${(patch.patch as JsonPatchOperation[]).map((o) => `${o.op} ${o.path}`).join(", ")}`);
    return this.store(store, next as unknown as KubeObject);
  }
}

describe("DeploymentController.sync", () => {
  it("creates the first ReplicaSet, records the revision, then the status, each with the latest resourceVersion", async () => {
    const w = new World();
    const d = deployment({ replicas: 3 });
    w.add(w.deployments, d);
    await w.sync();
    const hash = computeHash(d.spec.template);
    expect(w.writes).toEqual([
      `create web-${hash} 3`,
      'patch deployment web {"metadata":{"resourceVersion":"100","annotations":{"deployment.kubernetes.io/revision":"1"}}}',
      "deployment status",
    ]);
    expect(w.events).toEqual([`Deployment/web Normal ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    const rs = w.replicaSets.get(`ns/web-${hash}`) as unknown as ReplicaSet;
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: "apps.mirrorkube.dev/v1alpha1", kind: "Deployment", name: "web", uid: "uid-web", controller: true, blockOwnerDeletion: true }]);
    expect(w.deployment().status).toMatchObject({ replicas: 0, unavailableReplicas: 3, ready: "0/3", selector: "app=web" });
    expect(w.deployment().metadata.annotations).toEqual({ "deployment.kubernetes.io/revision": "1" });
  });

  it("scales with merge patches guarded by uid and resourceVersion, and settles", async () => {
    const w = new World();
    const d = deployment({ replicas: 3, annotations: { "deployment.kubernetes.io/revision": "1" } });
    const rs = replicaSetFor(d, { replicas: 1, available: 1, revision: 1, desired: 1, max: 2 });
    w.add(w.deployments, d);
    w.add(w.replicaSets, rs);
    await w.sync();
    expect(w.writes[0]).toBe(
      `patch rs ${rs.metadata.name} {"metadata":{"uid":"${rs.metadata.uid}","resourceVersion":"10","annotations":{"deployment.kubernetes.io/desired-replicas":"3","deployment.kubernetes.io/max-replicas":"4"}},"spec":{"replicas":3}}`,
    );
    expect(w.events).toEqual([`Deployment/web Normal ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} from 1 to 3`]);
    // The next sync counts unavailable pods against the new spec (as upstream, a sync late); then nothing changes.
    await w.sync();
    expect(w.deployment().status?.unavailableReplicas).toBe(2);
    const writes = w.writes.length;
    await w.sync();
    expect(w.writes.slice(writes)).toEqual([]);
  });

  it("adopts a matching orphan ReplicaSet and releases an owned one that stopped matching", async () => {
    const w = new World();
    const d = deployment({ replicas: 2, annotations: { "deployment.kubernetes.io/revision": "1" } });
    const orphan = replicaSetFor(d, { replicas: 2, available: 2, revision: 1, desired: 2, max: 3 });
    delete orphan.metadata.ownerReferences;
    const strayed = replicaSetFor(deployment({ image: "app:v0" }), { replicas: 0, revision: 0 });
    strayed.metadata.labels = { app: "other" };
    w.add(w.deployments, d);
    w.add(w.replicaSets, orphan);
    w.add(w.replicaSets, strayed);
    await w.sync();
    expect(w.writes.filter((x) => x.includes("ownerReferences")).map((x) => x.split(" ").slice(0, 3).join(" "))).toEqual([`patch rs ${orphan.metadata.name}`, `patch rs ${strayed.metadata.name}`]);
    expect((w.replicaSets.get(`ns/${orphan.metadata.name}`) as unknown as ReplicaSet).metadata.ownerReferences?.[0]?.uid).toBe("uid-web");
    expect((w.replicaSets.get(`ns/${strayed.metadata.name}`) as unknown as ReplicaSet).metadata.ownerReferences).toBeUndefined();
    // The adopted ReplicaSet is the Deployment's: nothing is created.
    expect(w.writes.some((x) => x.startsWith("create"))).toBe(false);
  });

  it("plans again after a create that finds its own ReplicaSet (a cache behind)", async () => {
    const w = new World();
    const d = deployment({ replicas: 3 });
    w.add(w.deployments, d);
    w.createError = new ApiError(409, "AlreadyExists", "exists");
    const mine = replicaSetFor(d, { replicas: 3 });
    // In the API server, not yet in the cache the planner read.
    const getReplicaSet = w.replicaSets.get.bind(w.replicaSets);
    let calls = 0;
    w.replicaSets.get = (key: string) => (calls++ === 0 ? (mine as unknown as KubeObject) : getReplicaSet(key));
    await expect(w.sync()).resolves.toBeUndefined();
    expect(w.writes).toEqual([]);
  });

  it("counts a hash collision when the name is taken by another ReplicaSet", async () => {
    const w = new World();
    const d = deployment({ replicas: 3 });
    w.add(w.deployments, d);
    const foreign = replicaSetFor(deployment({ image: "other" }), { replicas: 1 });
    foreign.metadata.name = `web-${computeHash(d.spec.template)}`;
    foreign.metadata.ownerReferences = [];
    foreign.metadata.labels = { app: "foreign" };
    w.add(w.replicaSets, foreign);
    await expect(w.sync()).rejects.toThrow(/already exists/);
    expect(w.deployment().status?.collisionCount).toBe(1);
  });

  it("reports a failed create in Progressing and as a warning", async () => {
    const w = new World();
    w.add(w.deployments, deployment({ replicas: 3 }));
    w.createError = new ApiError(403, "Forbidden", 'replicasets "x" is forbidden: exceeded quota');
    await expect(w.sync()).rejects.toThrow(/forbidden/);
    const progressing = w.deployment().status?.conditions?.find((c) => c.type === "Progressing");
    expect(progressing).toMatchObject({ status: "False", reason: "ReplicaSetCreateError" });
    expect(progressing?.message).toMatch(/^Failed to create new replica set "web-\w+": replicasets "x" is forbidden: exceeded quota$/);
    expect(w.events).toEqual([`Deployment/web Warning ReplicaSetCreateError: ${progressing?.message}`]);
  });

  it("rolls back with a JSON patch guarded by the resourceVersion", async () => {
    const w = new World();
    const v1 = deployment({ replicas: 1 });
    const d = deployment({ replicas: 1, image: "app:v2", annotations: { "deployment.kubernetes.io/revision": "2", "deprecated.deployment.rollback.to": "0" } });
    w.add(w.deployments, d);
    w.add(w.replicaSets, replicaSetFor(v1, { replicas: 0, revision: 1, desired: 1, max: 2 }));
    w.add(w.replicaSets, replicaSetFor(d, { replicas: 1, available: 1, revision: 2, created: 5, desired: 1, max: 2 }));
    await w.sync();
    expect(w.writes).toContain("json-patch deployment web test /metadata/resourceVersion, add /metadata/annotations, replace /spec/template");
    expect(w.deployment().spec.template.spec.containers[0]?.image).toBe("app:v1");
    expect(w.deployment().metadata.annotations).toEqual({ "deployment.kubernetes.io/revision": "2" });
    expect(w.events).toEqual(['Deployment/web Normal DeploymentRollback: Rolled back deployment "web" to revision 1']);
  });

  it("asks to be requeued for the progress deadline", async () => {
    const w = new World(at(100));
    const d = deployment({ replicas: 1, annotations: { "deployment.kubernetes.io/revision": "1" } });
    const rs = replicaSetFor(d, { replicas: 1, revision: 1, desired: 1, max: 2 });
    w.add(w.deployments, d);
    w.add(w.replicaSets, rs);
    await w.sync();
    await expect(w.sync()).resolves.toEqual({ requeueAfterMs: 601_000 });
  });

  it("reports a malformed Deployment once and writes nothing", async () => {
    const w = new World();
    const d = deployment();
    w.add(w.deployments, { ...d, spec: { ...d.spec, replicas: -1 } });
    await w.sync();
    await w.sync();
    expect(w.writes).toEqual([]);
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatch(/^Deployment\/web Warning InvalidObject: /);
  });
});

describe("event mapping", () => {
  it("maps a ReplicaSet to its controller, and an orphan to the Deployments that select it", () => {
    const w = new World();
    const d = deployment();
    w.add(w.deployments, d);
    w.add(w.deployments, deployment({ name: "other" }));
    const rs = asKube(replicaSetFor(d));
    expect(w.controller.replicaSetMapper(rs)).toEqual([req]);
    expect(w.controller.replicaSetMapper({ ...rs, metadata: { ...rs.metadata, ownerReferences: [] } })).toEqual([req]);
    const foreign = { ...rs, metadata: { ...rs.metadata, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "uid-web", controller: true }] } };
    expect(w.controller.replicaSetMapper(foreign)).toEqual([]);
  });

  it("maps a pod to its Deployment only for Recreate", () => {
    const w = new World();
    const rolling = deployment();
    const rs = replicaSetFor(rolling);
    w.add(w.deployments, rolling);
    w.add(w.replicaSets, rs);
    const pod = asKube(podOf(rs, "p", "Running"));
    expect(w.controller.podMapper(pod)).toEqual([]);
    w.add(w.deployments, deployment({ strategy: { type: "Recreate" } }));
    expect(w.controller.podMapper(pod)).toEqual([req]);
  });
});

import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { kinds, mustParse } from "../../api/index.ts";
import { ApiError } from "../../runtime/client/index.ts";
import type { DeleteOptions, KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import { Store } from "../../runtime/informer/store.ts";
import type { NewPod } from "../common/index.ts";
import { INVALID_OBJECT_REASON } from "../common/index.ts";
import { NOW } from "../common/testing.ts";
import type { NewClaim } from "./claims.ts";
import type { ControllerRevision } from "./revision.ts";
import { newRevision } from "./revision.ts";
import { StatefulSetController } from "./stateful-set.ts";
import type { SetKnobs } from "./testing.ts";
import { member, setObject } from "./testing.ts";

const log = pino({ level: "silent" });
const req = { namespace: "ns", name: "web" };

/** The controller's world: caches filled by hand, clients that record every write, and the events. */
class World {
  readonly sets = new Store<KubeObject>();
  readonly pods = new Store<KubeObject>();
  readonly claims = new Store<KubeObject>();
  readonly revisions = new Store<KubeObject>();
  readonly writes: string[] = [];
  readonly createdPods: NewPod[] = [];
  readonly createdClaims: NewClaim[] = [];
  readonly statusWrites: KubeObject[] = [];
  readonly events: string[] = [];
  podCreateError: ApiError | undefined;
  readonly controller: StatefulSetController;

  constructor() {
    this.controller = new StatefulSetController({
      statefulSets: this.sets,
      pods: this.pods,
      claims: this.claims,
      revisions: this.revisions,
      statefulSetClient: {
        get: async (key: ObjectKey) => this.sets.get(`${key.namespace}/${key.name}`) as KubeObject,
        updateStatus: async (obj: KubeObject) => {
          this.statusWrites.push(obj);
          return obj;
        },
      },
      podClient: {
        create: async (pod: NewPod) => {
          if (this.podCreateError) throw this.podCreateError;
          this.writes.push(`create pod ${pod.metadata?.name}`);
          this.createdPods.push(pod);
          return pod;
        },
        patch: async (key: ObjectKey, _patch: Patch) => this.writes.push(`patch pod ${key.name}`),
        delete: async (key: ObjectKey, options?: DeleteOptions) => this.writes.push(`delete pod ${key.name} uid=${options?.preconditions?.uid}`),
      },
      claimClient: {
        create: async (claim: NewClaim) => {
          this.writes.push(`create claim ${claim.metadata?.name}`);
          this.createdClaims.push(claim);
          return claim;
        },
        patch: async (key: ObjectKey, _patch: Patch) => this.writes.push(`patch claim ${key.name}`),
      },
      revisionClient: {
        create: async (r: ControllerRevision) => {
          this.writes.push(`create revision ${r.revision}`);
          return { ...r, metadata: { ...r.metadata, uid: `uid-${r.metadata?.name}` } };
        },
        get: async (key: ObjectKey) => this.revisions.get(`${key.namespace}/${key.name}`) as ControllerRevision,
        patch: async (key: ObjectKey, patch: Patch) => {
          this.writes.push(`patch revision ${key.name} ${JSON.stringify(patch.patch)}`);
          return { ...(this.revisions.get(`${key.namespace}/${key.name}`) as ControllerRevision), ...(patch.patch as object) };
        },
        delete: async (key: ObjectKey) => this.writes.push(`delete revision ${key.name}`),
      },
      events: { event: (_obj, type, reason, message) => this.events.push(`${type} ${reason} ${message}`) },
      now: () => NOW,
    });
  }

  set(k: SetKnobs = {}): this {
    this.sets.upsert(setObject(k));
    return this;
  }

  /** A stored revision of the set with these knobs (its template), numbered `revision`. */
  revision(k: SetKnobs, revision: number, extra: Partial<ControllerRevision["metadata"]> = {}): string {
    const r = newRevision(mustParse(kinds.StatefulSet, setObject(k)), revision, 0);
    this.revisions.upsert({ ...r, metadata: { ...r.metadata, uid: `uid-${r.metadata.name}`, creationTimestamp: `2024-05-01T0${revision}:00:00Z`, ...extra } });
    return r.metadata.name;
  }

  pod(...pods: ReturnType<typeof member>[]): this {
    for (const p of pods) this.pods.upsert(p as unknown as KubeObject);
    return this;
  }

  sync() {
    return this.controller.sync(req, { log });
  }

  lastStatus(): Record<string, unknown> | undefined {
    return (this.statusWrites.at(-1) as { status?: Record<string, unknown> } | undefined)?.status;
  }
}

describe("StatefulSetController.sync", () => {
  it("starts a new set: revision 1, then web-0 at it, status and event", async () => {
    const w = new World().set();
    await w.sync();
    const name = w.createdPods[0]?.metadata?.labels?.["controller-revision-hash"];
    expect(name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(w.writes).toEqual(["create revision 1", "create pod web-0"]);
    expect(w.events).toEqual(["Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful"]);
    expect(w.lastStatus()).toEqual({
      observedGeneration: 1,
      replicas: 0,
      readyReplicas: 0,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      currentRevision: name,
      updateRevision: name,
      collisionCount: 0,
      selector: "app=web",
      ready: "0/3",
    });
  });

  it("waits for the cache to show its own creations before acting again", async () => {
    const w = new World().set();
    const rev = w.revision({}, 1);
    await w.sync();
    expect(w.writes).toEqual(["create pod web-0"]);
    const handlers = w.controller.podEventHandlers();
    // web-0 became ready, but the cache has not shown its creation to the expectations yet.
    w.pod(member(0, { revision: rev }));
    expect(await w.sync()).toEqual({ requeueAfterMs: 30_000 });
    expect(w.writes).toEqual(["create pod web-0"]);
    handlers.add?.(w.pods.get("ns/web-0") as KubeObject);
    await w.sync();
    expect(w.writes).toEqual(["create pod web-0", "create pod web-1"]);
  });

  it("rolls back by reusing the old revision with the next number, creating none", async () => {
    const w = new World();
    const r1 = w.revision({ image: "registry.invalid/app:1" }, 1);
    const r2 = w.revision({ image: "registry.invalid/app:2" }, 2);
    w.set({ image: "registry.invalid/app:1", status: { currentRevision: r2 } });
    w.pod(member(0, { revision: r2 }), member(1, { revision: r2 }), member(2, { revision: r2 }));
    await w.sync();
    expect(w.writes).toEqual([`patch revision ${r1} {"revision":3}`, "delete pod web-2 uid=pod-2-" + r2]);
    expect(w.lastStatus()).toMatchObject({ currentRevision: r2, updateRevision: r1, updatedReplicas: 0, currentReplicas: 2 });
  });

  it("completes the update in status once every replica is updated and ready", async () => {
    const w = new World().set({ image: "registry.invalid/app:2", status: { currentRevision: "web-old" } });
    w.revision({ image: "registry.invalid/app:1" }, 1, { name: "web-old" });
    const r2 = w.revision({ image: "registry.invalid/app:2" }, 2);
    w.pod(member(0, { revision: r2 }), member(1, { revision: r2 }), member(2, { revision: r2 }));
    await w.sync();
    expect(w.lastStatus()).toMatchObject({ currentRevision: r2, updateRevision: r2, currentReplicas: 3, updatedReplicas: 3, ready: "3/3" });
    // The old revision is history, kept within the limit.
    expect(w.writes).toEqual([]);
  });

  it("trims history beyond revisionHistoryLimit, oldest first, keeping what pods use", async () => {
    const w = new World().set({ image: "registry.invalid/app:4", revisionHistoryLimit: 1 });
    const [r1, r2, r3, r4] = [1, 2, 3, 4].map((i) => w.revision({ image: `registry.invalid/app:${i}` }, i));
    w.pod(member(0, { revision: r4 }), member(1, { revision: r4 }), member(2, { revision: r1 }));
    await w.sync();
    expect(w.writes.filter((x) => x.startsWith("delete revision"))).toEqual([`delete revision ${r2}`]);
    expect(r3).toBeDefined();
  });

  it("adopts an orphan revision its selector matches", async () => {
    const w = new World().set();
    const rev = w.revision({}, 1, { ownerReferences: [] });
    w.pod(member(0, { revision: rev }), member(1, { revision: rev }), member(2, { revision: rev }));
    await w.sync();
    expect(w.writes[0]).toMatch(new RegExp(`^patch revision ${rev} .*"ownerReferences":\\[\\{"apiVersion":"apps.mirrorkube.dev/v1alpha1","kind":"StatefulSet","name":"web","uid":"set-uid","controller":true,"blockOwnerDeletion":true\\}\\]`));
  });

  it("creates a pod's claims before the pod, with upstream's event", async () => {
    const w = new World().set({ claimTemplates: ["data"] });
    w.revision({ claimTemplates: ["data"] }, 1);
    await w.sync();
    expect(w.writes).toEqual(["create claim data-web-0", "create pod web-0"]);
    expect(w.events).toEqual(["Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success", "Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful"]);
  });

  it("reports a failed creation, writes status, and retries", async () => {
    const w = new World().set();
    w.revision({}, 1);
    w.podCreateError = new ApiError(403, "Forbidden", 'pods "web-0" is forbidden: exceeded quota');
    await expect(w.sync()).rejects.toThrow("exceeded quota");
    expect(w.events).toEqual(['Warning FailedCreate create Pod web-0 in StatefulSet web failed error: pods "web-0" is forbidden: exceeded quota']);
    expect(w.statusWrites).toHaveLength(1);
    // The failed creation will never be observed: the next sync may try again.
    w.podCreateError = undefined;
    await w.sync();
    expect(w.writes).toEqual(["create pod web-0"]);
  });

  it("looks again after minReadySeconds while pods are not yet available", async () => {
    const w = new World().set({ replicas: 1, minReadySeconds: 30 });
    const rev = w.revision({ replicas: 1, minReadySeconds: 30 }, 1);
    w.pod(member(0, { revision: rev, readySince: 5 }));
    expect(await w.sync()).toEqual({ requeueAfterMs: 30_000 });
  });

  it("reports a malformed set once and skips it", async () => {
    const w = new World();
    w.sets.upsert({ ...setObject(), spec: { replicas: -1 } } as KubeObject);
    await w.sync();
    await w.sync();
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatch(new RegExp(`^Warning ${INVALID_OBJECT_REASON} `));
  });
});

describe("StatefulSetController mappers", () => {
  it("maps a pod to its controller, and an orphan to the sets that would adopt it", () => {
    const w = new World().set();
    expect(w.controller.podMapper(member(1) as unknown as KubeObject)).toEqual([req]);
    const orphan = { metadata: { name: "web-4", namespace: "ns", labels: { app: "web" } } };
    expect(w.controller.podMapper(orphan)).toEqual([req]);
    expect(w.controller.podMapper({ metadata: { name: "other-4", namespace: "ns", labels: { app: "web" } } })).toEqual([]);
  });

  it("maps a claim to the sets whose selector matches it", () => {
    const w = new World().set();
    expect(w.controller.claimMapper({ metadata: { name: "data-web-0", namespace: "ns", labels: { app: "web" } } })).toEqual([req]);
    expect(w.controller.claimMapper({ metadata: { name: "x", namespace: "ns", labels: { app: "db" } } })).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { KubeObject, OwnerReference } from "../../runtime/client/index.ts";
import { rsRef } from "../common/testing.ts";
import { PodEventHandler } from "./pod-events.ts";
import type { ReplicaSetRef } from "./pod-events.ts";

interface PodSpec {
  rv?: string;
  labels?: Record<string, string>;
  owner?: OwnerReference;
  deleting?: boolean;
  ready?: boolean;
  uid?: string;
}

const pod = (s: PodSpec = {}): KubeObject & { ready?: boolean } => ({
  metadata: {
    name: "p",
    namespace: "ns",
    uid: s.uid ?? "pod-uid",
    resourceVersion: s.rv ?? "1",
    labels: s.labels ?? { app: "web" },
    ...(s.owner && { ownerReferences: [s.owner] }),
    ...(s.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }),
  },
  ready: s.ready ?? false,
});

/** Two ReplicaSets: web (uid rs-uid, minReadySeconds 10) selects app=web; api (uid api-uid) selects app=api. */
function setup() {
  const calls: string[] = [];
  const sets: Record<string, ReplicaSetRef & { uid: string; app: string }> = {
    web: { key: "ns/web", minReadySeconds: 10, uid: "rs-uid", app: "web" },
    api: { key: "ns/api", minReadySeconds: 0, uid: "api-uid", app: "api" },
  };
  const handler = new PodEventHandler(
    {
      resolve: (_ns, ref) => {
        const rs = sets[ref.name];
        return rs && rs.uid === ref.uid ? rs : undefined;
      },
      matching: (p) => Object.values(sets).filter((rs) => p.metadata?.labels?.app === rs.app),
      isReady: (p) => (p as { ready?: boolean }).ready === true,
    },
    {
      creationObserved: (k) => calls.push(`created ${k}`),
      deletionObserved: (k, uid) => calls.push(`deleted ${k} ${uid}`),
      enqueue: (k) => calls.push(`enqueue ${k}`),
      enqueueAfter: (k, ms) => calls.push(`enqueue ${k} after ${ms}`),
    },
  );
  return { handler, calls };
}

const web = rsRef("rs-uid", "web");
const api = rsRef("api-uid", "api");

describe("PodEventHandler.add", () => {
  it("observes a creation for the owning ReplicaSet and syncs it", () => {
    const { handler, calls } = setup();
    handler.add(pod({ owner: web }));
    expect(calls).toEqual(["created ns/web", "enqueue ns/web"]);
  });

  it("ignores a pod whose owner is not a cached ReplicaSet with that UID", () => {
    const { handler, calls } = setup();
    handler.add(pod({ owner: rsRef("stale-uid", "web") }));
    handler.add(pod({ owner: rsRef("x", "missing") }));
    expect(calls).toEqual([]);
  });

  it("syncs every matching ReplicaSet for an orphan, observing no creation", () => {
    const { handler, calls } = setup();
    handler.add(pod({ labels: { app: "api" } }));
    expect(calls).toEqual(["enqueue ns/api"]);
  });

  it("counts a pod that arrives already being deleted as a deletion", () => {
    const { handler, calls } = setup();
    handler.add(pod({ owner: web, deleting: true }));
    expect(calls).toEqual(["deleted ns/web pod-uid", "enqueue ns/web"]);
  });
});

describe("PodEventHandler.update", () => {
  it("ignores a resync (same resourceVersion)", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ owner: web }));
    expect(calls).toEqual([]);
  });

  it("syncs the owner on any change", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ owner: web, rv: "2" }));
    expect(calls).toEqual(["enqueue ns/web"]);
  });

  it("counts the start of a graceful deletion as the deletion, for the old owner too when labels changed", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ owner: web, rv: "2", deleting: true }));
    expect(calls).toEqual(["deleted ns/web pod-uid", "enqueue ns/web"]);
    calls.length = 0;
    handler.update(pod({ owner: web }), pod({ owner: api, rv: "2", deleting: true, labels: { app: "api" } }));
    expect(calls).toEqual(["deleted ns/api pod-uid", "enqueue ns/api", "deleted ns/web pod-uid", "enqueue ns/web"]);
  });

  it("syncs the old owner too when the controller reference changed", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ owner: api, rv: "2" }));
    expect(calls).toEqual(["enqueue ns/web", "enqueue ns/api"]);
  });

  it("syncs the former owner and the now matching ReplicaSets of a released pod", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ rv: "2", labels: { app: "api" } }));
    expect(calls).toEqual(["enqueue ns/web", "enqueue ns/api"]);
  });

  it("looks again after minReadySeconds (+1 s) when an owned pod becomes ready", () => {
    const { handler, calls } = setup();
    handler.update(pod({ owner: web }), pod({ owner: web, rv: "2", ready: true }));
    expect(calls).toEqual(["enqueue ns/web", "enqueue ns/web after 11000"]);
    calls.length = 0;
    handler.update(pod({ owner: api }), pod({ owner: api, rv: "2", ready: true }));
    expect(calls).toEqual(["enqueue ns/api"]);
  });

  it("syncs matching ReplicaSets of an orphan only when its labels changed", () => {
    const { handler, calls } = setup();
    handler.update(pod({ labels: { app: "web" } }), pod({ rv: "2", labels: { app: "web" } }));
    expect(calls).toEqual([]);
    handler.update(pod({ labels: { app: "x" } }), pod({ rv: "2", labels: { app: "web" } }));
    expect(calls).toEqual(["enqueue ns/web"]);
  });
});

describe("PodEventHandler.delete", () => {
  it("observes the deletion for the owner", () => {
    const { handler, calls } = setup();
    handler.delete(pod({ owner: web, uid: "u9" }));
    expect(calls).toEqual(["deleted ns/web u9", "enqueue ns/web"]);
  });

  it("ignores orphans", () => {
    const { handler, calls } = setup();
    handler.delete(pod());
    expect(calls).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import type { Pod, StatefulSet } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import { NOW } from "../common/testing.ts";
import type { PodAction, StatefulSetPlan } from "./actions.ts";
import { planStatefulSet } from "./stateful-set-control.ts";
import type { SetKnobs } from "./testing.ts";
import { claimObject, makeSet, member, setRef } from "./testing.ts";
import { kinds } from "../../api/index.ts";

const V1 = "web-rev1";
const V2 = "web-rev2";

function plan(set: StatefulSet, pods: Pod[], opts: { update?: string; claims?: KubeObject[] } = {}): StatefulSetPlan {
  const claims = new Map((opts.claims ?? []).map((c) => [c.metadata?.name ?? "", c]));
  const current = { name: V1, template: { ...set.spec.template, metadata: { labels: { app: "web", v: "1" } } } };
  return planStatefulSet({
    set,
    currentRevision: current,
    updateRevision: opts.update ? { name: opts.update, template: set.spec.template } : current,
    pods,
    claim: (name) => claims.get(name),
    now: NOW,
  });
}

function describeAction(a: PodAction): string {
  switch (a.type) {
    case "createPod":
      return `create ${a.pod.metadata?.name}@${a.pod.metadata?.labels?.["controller-revision-hash"]}`;
    case "deletePod":
      return `delete ${a.pod.metadata.name} (${a.cause})`;
    case "createMissingClaims":
      return `claims ${a.pod.metadata.name}`;
    case "updatePod":
      return `update ${a.pod.metadata.name}`;
    case "updateClaimOwners":
      return `owners ${a.pod.metadata.name}`;
  }
}

/** The plan's actions in order, one phase after another. */
const actions = (p: StatefulSetPlan) => p.phases.flat().flatMap((s) => s.actions.map(describeAction));
const set = (k: SetKnobs = {}) => makeSet(k);
const ready = (n: number, k: Parameters<typeof member>[1] = {}) => Array.from({ length: n }, (_, i) => member(i, k));

describe("OrderedReady scale up", () => {
  it("creates the lowest missing ordinal alone, and stops", () => {
    const p = plan(set(), []);
    expect(actions(p)).toEqual([`create web-0@${V1}`]);
    expect(p.halted).toBe("creating web-0");
  });

  it("creates ordinal n+1 only once n is Running and Ready", () => {
    expect(actions(plan(set(), [member(0)]))).toEqual([`create web-1@${V1}`]);
    const pending = plan(set(), [member(0, { phase: "Pending", readySince: undefined })]);
    expect(actions(pending)).toEqual([]);
    expect(pending.halted).toBe("waiting for web-0 to be Running and Ready");
    expect(plan(set(), [member(0, { readySince: false })]).halted).toBe("waiting for web-0 to be Running and Ready");
  });

  it("waits minReadySeconds for availability, and for a terminating pod to go", () => {
    expect(plan(set({ minReadySeconds: 30 }), [member(0, { readySince: 10 })]).halted).toBe("waiting for web-0 to be available");
    expect(actions(plan(set({ minReadySeconds: 30 }), [member(0, { readySince: 31 })]))).toEqual([`create web-1@${V1}`]);
    expect(plan(set(), [member(0, { deleting: true })]).halted).toBe("waiting for web-0 to terminate");
  });

  it("numbers from spec.ordinals.start", () => {
    expect(actions(plan(set({ start: 5 }), []))).toEqual([`create web-5@${V1}`]);
    expect(actions(plan(set({ start: 5, replicas: 2 }), [member(5)]))).toEqual([`create web-6@${V1}`]);
  });

  it("deletes a Failed or Succeeded pod, and waits for it to go before recreating it", () => {
    expect(actions(plan(set(), [member(0, { phase: "Failed", readySince: false })]))).toEqual(["delete web-0 (finished)"]);
    expect(actions(plan(set(), [member(0), member(1, { phase: "Succeeded", readySince: false })]))).toEqual(["delete web-1 (finished)"]);
    const gone = plan(set(), [member(0, { phase: "Failed", readySince: false, deleting: true })]);
    expect(actions(gone)).toEqual([]);
    expect(gone.halted).toBe("recreating Failed web-0");
  });
});

describe("Parallel", () => {
  it("creates every missing replica at once, one step per slot for the slow-start batches", () => {
    const p = plan(set({ podManagementPolicy: "Parallel" }), []);
    expect(actions(p)).toEqual([`create web-0@${V1}`, `create web-1@${V1}`, `create web-2@${V1}`]);
    expect(p.phases[0]?.map((s) => s.pod)).toEqual(["web-0", "web-1", "web-2"]);
    expect(p.monotonic).toBe(false);
  });

  it("does not wait for unready or terminating pods", () => {
    const p = plan(set({ podManagementPolicy: "Parallel" }), [member(0, { readySince: false }), member(1, { deleting: true })]);
    expect(actions(p)).toEqual([`create web-2@${V1}`]);
  });

  it("deletes every condemned pod at once, ready or not", () => {
    const pods = [member(0), member(1, { readySince: false }), member(2, { readySince: false }), member(3, { deleting: true })];
    expect(actions(plan(set({ podManagementPolicy: "Parallel", replicas: 1 }), pods))).toEqual(["delete web-2 (condemned)", "delete web-1 (condemned)"]);
  });
});

describe("OrderedReady scale down", () => {
  it("deletes the highest ordinal alone", () => {
    const p = plan(set(), ready(5));
    expect(actions(p)).toEqual(["delete web-4 (condemned)"]);
    expect(p.halted).toBe("deleting web-4 for scale down");
  });

  it("waits for the deleted pod to go before the next", () => {
    expect(plan(set(), [...ready(4), member(4, { deleting: true })]).halted).toBe("waiting for web-4 to terminate before scaling down");
  });

  it("halts on an unready replica that stays", () => {
    const p = plan(set(), [member(0), member(1, { readySince: false }), member(2), member(3), member(4)]);
    expect(actions(p)).toEqual([]);
    expect(p.halted).toBe("waiting for web-1 to be Running and Ready");
  });

  it("deletes the first unhealthy pod even though it is unhealthy, but no healthy pod behind another unhealthy one", () => {
    expect(actions(plan(set(), [...ready(3), member(3, { readySince: false }), member(4)]))).toEqual(["delete web-4 (condemned)"]);
    expect(actions(plan(set(), [...ready(3), member(3, { readySince: false })]))).toEqual(["delete web-3 (condemned)"]);
    const blocked = plan(set(), [...ready(3), member(3, { readySince: false }), member(4, { readySince: false })]);
    expect(actions(blocked)).toEqual([]);
    expect(blocked.halted).toBe("waiting for web-3 to be available before scaling down");
  });
});

describe("RollingUpdate", () => {
  it("deletes the highest ordinal not at the update revision, one at a time", () => {
    expect(actions(plan(set(), ready(3), { update: V2 }))).toEqual(["delete web-2 (update)"]);
    expect(actions(plan(set(), [member(0), member(1), member(2, { revision: V2 })], { update: V2 }))).toEqual(["delete web-1 (update)"]);
  });

  it("creates a replaced pod at the update revision, and waits for it to be ready", () => {
    expect(actions(plan(set(), [member(0), member(1)], { update: V2 }))).toEqual([`create web-2@${V2}`]);
    const p = plan(set(), [member(0), member(1), member(2, { revision: V2, readySince: false })], { update: V2 });
    expect(actions(p)).toEqual([]);
  });

  it("never touches ordinals below the partition, and recreates them at the current revision", () => {
    const partitioned = set({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } });
    expect(actions(plan(partitioned, ready(3), { update: V2 }))).toEqual(["delete web-2 (update)"]);
    expect(actions(plan(partitioned, [member(0), member(1), member(2, { revision: V2 })], { update: V2 }))).toEqual([]);
    expect(actions(plan(partitioned, [member(0), member(2, { revision: V2 })], { update: V2 }))).toEqual([`create web-1@${V1}`]);
    expect(actions(plan(set({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 3 } } }), ready(3), { update: V2 }))).toEqual([]);
  });

  it("stamps a pod at the current revision with the current revision's template", () => {
    const p = plan(set({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } }), [member(0), member(2)], { update: V2 });
    const create = p.phases[0]?.flatMap((s) => s.actions).find((a) => a.type === "createPod");
    expect(create?.type === "createPod" && create.pod.metadata?.labels).toMatchObject({ v: "1", "controller-revision-hash": V1 });
  });

  it("updates maxUnavailable pods at once, counting those already unavailable", () => {
    const two = set({ replicas: 5, podManagementPolicy: "Parallel", updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0, maxUnavailable: 2 } } });
    expect(actions(plan(two, ready(5), { update: V2 }))).toEqual(["delete web-4 (update)", "delete web-3 (update)"]);
    expect(actions(plan(two, [...ready(4), member(4, { revision: V2, readySince: false })], { update: V2 }))).toEqual(["delete web-3 (update)"]);
    expect(actions(plan(two, [member(0, { readySince: false }), member(1, { readySince: false }), ...ready(5).slice(2)], { update: V2 }))).toEqual([]);
  });

  it("OnDelete deletes nothing to update, and makes new pods at the update revision", () => {
    const onDelete = set({ updateStrategy: { type: "OnDelete" } });
    expect(actions(plan(onDelete, ready(3), { update: V2 }))).toEqual([]);
    expect(actions(plan(onDelete, [member(0), member(2)], { update: V2 }))).toEqual([`create web-1@${V2}`]);
  });

  it("does nothing but report while the set is being deleted", () => {
    const p = plan(set({ deleting: true }), ready(1), { update: V2 });
    expect(p.phases).toEqual([]);
    expect(p.counts.replicas).toBe(1);
  });
});

describe("identity", () => {
  it("restores a pod's identity labels", () => {
    const p = plan(set(), [member(0, { labels: { app: "web", "controller-revision-hash": V1 } }), member(1), member(2)]);
    const update = p.phases[0]?.[0]?.actions[0];
    expect(update).toMatchObject({ type: "updatePod", labels: { "statefulset.kubernetes.io/pod-name": "web-0", "apps.kubernetes.io/pod-index": "0" } });
    expect(update?.type === "updatePod" && update.volumes).toBeUndefined();
  });
});

describe("claims", () => {
  const withClaims = (k: SetKnobs = {}) => set({ claimTemplates: ["data"], ...k });
  const podRef = (uid: string, name: string) => ({ apiVersion: kinds.Pod.apiVersion, kind: "Pod", name, uid, controller: true, blockOwnerDeletion: true });

  it("creates a pod's missing claims with it, owned as the policy says", () => {
    const p = plan(withClaims({ retention: { whenDeleted: "Delete" } }), []);
    const create = p.phases[0]?.[0]?.actions[0];
    expect(create?.type).toBe("createPod");
    if (create?.type !== "createPod") return;
    expect(create.claims.create.map((c) => [c.metadata?.name, c.metadata?.labels, c.metadata?.ownerReferences])).toEqual([["data-web-0", { tier: "data", app: "web" }, [setRef()]]]);
    expect(create.pod.spec.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-web-0" } }]);
  });

  it("reuses an existing claim, and refuses one being deleted", () => {
    const existing = plan(withClaims(), [], { claims: [claimObject("data-web-0")] }).phases[0]?.[0]?.actions[0];
    expect(existing?.type === "createPod" && existing.claims).toEqual({ create: [], owners: [] });
    const dying = plan(withClaims(), [], { claims: [claimObject("data-web-0", undefined, true)] }).phases[0]?.[0]?.actions[0];
    expect(dying?.type === "createPod" && dying.claims.terminating).toBe("data-web-0");
  });

  it("creates the missing claims of a Pending pod", () => {
    const p = plan(withClaims(), [member(0, { phase: "Pending", readySince: undefined, claims: ["data"] })]);
    expect(actions(p)).toEqual(["claims web-0"]);
  });

  it("waits for a claim still owned by a deleted pod of the same name before creating it", () => {
    const p = plan(withClaims({ retention: { whenScaled: "Delete" } }), [], { claims: [claimObject("data-web-0", [podRef("old", "web-0")])] });
    expect(actions(p)).toEqual([]);
    expect(p.halted).toBe("a claim of web-0 still belongs to its previous pod");
  });

  it("gives the claims of a scaled-down pod to the pod before deleting it, under whenScaled=Delete", () => {
    const s = withClaims({ replicas: 1, retention: { whenScaled: "Delete" } });
    const pods = [member(0, { claims: ["data"] }), member(1, { claims: ["data"] }), member(2, { claims: ["data"] })];
    const claims = [claimObject("data-web-0"), claimObject("data-web-1"), claimObject("data-web-2")];
    const p = plan(s, pods, { claims });
    expect(actions(p)).toEqual(["owners web-2", "owners web-1", "delete web-2 (condemned)"]);
    const owners = p.phases[1]?.[0]?.actions[0];
    expect(owners?.type === "updateClaimOwners" && owners.owners).toEqual([
      { name: "data-web-2", uid: "claim-data-web-2", resourceVersion: "3", ownerReferences: [podRef("pod-2-web-rev1", "web-2")], conflicting: false },
    ]);
  });

  it("moves the set's reference to the pod for a scaled-down ordinal under Delete/Delete", () => {
    const s = withClaims({ replicas: 1, retention: { whenScaled: "Delete", whenDeleted: "Delete" } });
    const p = plan(s, [member(0, { claims: ["data"] }), member(1, { claims: ["data"] })], { claims: [claimObject("data-web-0", [setRef()]), claimObject("data-web-1", [setRef()])] });
    const owners = p.phases[1]?.[0]?.actions[0];
    expect(owners?.type === "updateClaimOwners" && owners.owners[0]?.ownerReferences).toEqual([podRef("pod-1-web-rev1", "web-1")]);
  });

  it("updates a running pod whose claims do not follow the policy", () => {
    const p = plan(withClaims({ replicas: 1, retention: { whenDeleted: "Delete" } }), [member(0, { claims: ["data"] })], { claims: [claimObject("data-web-0")] });
    expect(actions(p)).toEqual(["update web-0"]);
  });
});

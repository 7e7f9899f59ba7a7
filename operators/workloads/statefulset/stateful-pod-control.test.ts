import { describe, expect, it } from "vitest";
import { ApiError } from "../../runtime/client/index.ts";
import type { DeleteOptions, KubeObject, ObjectKey, Patch } from "../../runtime/client/index.ts";
import type { NewPod } from "../common/index.ts";
import type { ClaimWork } from "./actions.ts";
import type { NewClaim } from "./claims.ts";
import { newClaims } from "./claims.ts";
import { StatefulPodControl } from "./stateful-pod-control.ts";
import { newStatefulSetPod } from "./stateful-set-utils.ts";
import { makeSet, member, setObject } from "./testing.ts";

const target = setObject() as KubeObject;

function control(errors: { pod?: ApiError; claim?: (name: string) => ApiError | undefined; delete?: ApiError; patch?: ApiError } = {}) {
  const calls: string[] = [];
  const events: string[] = [];
  const c = new StatefulPodControl(
    {
      create: async (pod: NewPod) => {
        if (errors.pod) throw errors.pod;
        calls.push(`create pod ${pod.metadata?.name}`);
        return pod;
      },
      patch: async (key: ObjectKey, patch: Patch) => {
        if (errors.patch) throw errors.patch;
        calls.push(`patch pod ${key.name} ${JSON.stringify(patch.patch)}`);
      },
      delete: async (key: ObjectKey, options?: DeleteOptions) => {
        if (errors.delete) throw errors.delete;
        calls.push(`delete pod ${key.name} ${JSON.stringify(options)}`);
      },
    },
    {
      create: async (claim: NewClaim) => {
        const err = errors.claim?.(claim.metadata?.name ?? "");
        if (err) throw err;
        calls.push(`create claim ${claim.metadata?.name}`);
        return claim;
      },
      patch: async (key: ObjectKey, patch: Patch) => {
        calls.push(`patch claim ${key.name} ${JSON.stringify(patch.patch)}`);
      },
    },
    { event: (_o, type, reason, message) => events.push(`${type} ${reason} ${message}`) },
  );
  return { c, calls, events };
}

const set = makeSet({ claimTemplates: ["data", "logs"] });
const pod = newStatefulSetPod(set, set.spec.template, 0, "web-rev1");
const work = (k: Partial<ClaimWork> = {}): ClaimWork => ({ create: [...newClaims(set, 0).values()], owners: [], ...k });

describe("StatefulPodControl", () => {
  it("creates the claims, then the pod, with upstream's events", async () => {
    const { c, calls, events } = control();
    await c.perform(target, { type: "createPod", pod, claims: work() });
    expect(calls).toEqual(["create claim data-web-0", "create claim logs-web-0", "create pod web-0"]);
    expect(events).toEqual([
      "Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success",
      "Normal SuccessfulCreate create Claim logs-web-0 Pod web-0 in StatefulSet web success",
      "Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful",
    ]);
  });

  it("tries every claim, then fails the pod with all their errors", async () => {
    const { c, calls, events } = control({ claim: (name) => new ApiError(403, "Forbidden", `${name} over quota`) });
    await expect(c.perform(target, { type: "createPod", pod, claims: work({ terminating: "other" }) })).rejects.toThrow(
      "[failed to create PVC data-web-0: data-web-0 over quota, failed to create PVC logs-web-0: logs-web-0 over quota, pvc other is being deleted]",
    );
    expect(calls).toEqual([]);
    expect(events).toEqual([
      "Warning FailedCreate create Claim data-web-0 for Pod web-0 in StatefulSet web failed error: data-web-0 over quota",
      "Warning FailedCreate create Claim logs-web-0 for Pod web-0 in StatefulSet web failed error: logs-web-0 over quota",
      "Warning FailedCreate create Pod web-0 in StatefulSet web failed error: [failed to create PVC data-web-0: data-web-0 over quota, failed to create PVC logs-web-0: logs-web-0 over quota, pvc other is being deleted]",
    ]);
  });

  it("takes a claim already there as created (the cache was behind)", async () => {
    const { c, calls } = control({ claim: (name) => (name === "data-web-0" ? new ApiError(409, "AlreadyExists", "exists") : undefined) });
    await c.perform(target, { type: "createPod", pod, claims: work() });
    expect(calls).toEqual(["create claim logs-web-0", "create pod web-0"]);
  });

  it("records no event for a pod name already taken, and fails the step", async () => {
    const { c, events } = control({ pod: new ApiError(409, "AlreadyExists", 'pods "web-0" already exists') });
    await expect(c.perform(target, { type: "createPod", pod, claims: work({ create: [] }) })).rejects.toThrow("already exists");
    expect(events).toEqual([]);
  });

  it("deletes guarded by uid; a pod already gone is fine, silently", async () => {
    const ok = control();
    await ok.c.perform(target, { type: "deletePod", pod: member(2), cause: "update" });
    expect(ok.calls).toEqual([`delete pod web-2 {"preconditions":{"uid":"pod-2-web-rev1"}}`]);
    expect(ok.events).toEqual(["Normal SuccessfulDelete delete Pod web-2 in StatefulSet web successful"]);
    const gone = control({ delete: new ApiError(404, "NotFound", "gone") });
    await gone.c.perform(target, { type: "deletePod", pod: member(2), cause: "condemned" });
    expect(gone.events).toEqual([]);
    const failed = control({ delete: new ApiError(500, "InternalError", "etcd down") });
    await expect(failed.c.perform(target, { type: "deletePod", pod: member(2), cause: "condemned" })).rejects.toThrow("etcd down");
    expect(failed.events).toEqual(["Warning FailedDelete delete Pod web-2 in StatefulSet web failed error: etcd down"]);
  });

  it("updates a pod's identity and volumes with one guarded merge patch, and records it", async () => {
    const { c, calls, events } = control();
    const p = member(1);
    await c.perform(target, { type: "updatePod", pod: p, labels: { "statefulset.kubernetes.io/pod-name": "web-1" }, volumes: [], claims: { create: [], owners: [] } });
    expect(calls).toEqual([`patch pod web-1 {"metadata":{"uid":"pod-1-web-rev1","resourceVersion":"1","labels":{"statefulset.kubernetes.io/pod-name":"web-1"}},"spec":{"volumes":[]}}`]);
    expect(events).toEqual(["Normal SuccessfulUpdate update Pod web-1 in StatefulSet web successful"]);
  });

  it("sets claim owners guarded by uid and resourceVersion, and warns about a conflicting controller", async () => {
    const { c, calls, events } = control();
    await c.perform(target, { type: "updateClaimOwners", pod: member(3), owners: [{ name: "data-web-3", uid: "u", resourceVersion: "7", ownerReferences: [], conflicting: true }] });
    expect(calls).toEqual([`patch claim data-web-3 {"metadata":{"uid":"u","resourceVersion":"7","ownerReferences":null}}`]);
    expect(events).toEqual([
      "Warning ConflictingController PersistentVolumeClaim data-web-3 has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim",
    ]);
  });

  it("does not report a conflict, which is only retried", async () => {
    const { c, events } = control({ patch: new ApiError(409, "Conflict", "the object has been modified") });
    await expect(c.perform(target, { type: "updatePod", pod: member(1), labels: {}, claims: { create: [], owners: [] } })).rejects.toThrow("modified");
    expect(events).toEqual([]);
  });
});

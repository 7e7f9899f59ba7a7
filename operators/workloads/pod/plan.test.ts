import { describe, expect, it } from "vitest";
import { kinds, mustParse, type Pod } from "../../api/index.ts";
import { findCondition } from "../common/index.ts";
import { REALIZED_CONDITION, REALIZER_FINALIZER } from "./names.ts";
import { planInvalid, planPod, type Action, type Plan, type PodWorld } from "./plan.ts";
import type { Node, RealPod } from "./resources.ts";
import { MIRROR_UID, mirrorPod, node, NOW, NOW_MS, realizedMirror, realPod, runningStatus } from "./testing.ts";
import { passThroughVolumes } from "./volumes.ts";

const GRACE_MS = 40_000;

function plan(mirror: Pod, real?: RealPod, nodes: Node[] = [node("kwok-node-0"), node("kwok-node-1")], over: Partial<PodWorld> = {}): Plan {
  const nodeName = mirror.spec.nodeName ?? real?.spec?.nodeName;
  const n = nodes.find((x) => x.metadata?.name === nodeName);
  return planPod({ mirror, real, node: n, now: NOW_MS, nodeLostGraceMs: GRACE_MS, translateVolume: passThroughVolumes, ...over });
}

const kinds_ = (p: Plan) => p.actions.map((a) => a.kind);
function only<K extends Action["kind"]>(p: Plan, kind: K): Extract<Action, { kind: K }> {
  const found = p.actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The mirror Pod after the plan's writes to it, as the next reconcile would read it. */
function applied(mirror: Pod, p: Plan): Pod {
  let next: Pod = mirror;
  for (const a of p.actions) {
    if (a.kind === "writeStatus") next = { ...next, status: a.status };
    if (a.kind === "patchDisplay") next = { ...next, status: { ...next.status, ...a.display } };
    if (a.kind === "addFinalizer") next = { ...next, metadata: { ...next.metadata, finalizers: [...(next.metadata.finalizers ?? []), REALIZER_FINALIZER] } };
    if (a.kind === "removeFinalizer") next = { ...next, metadata: { ...next.metadata, finalizers: next.metadata.finalizers?.filter((f) => f !== REALIZER_FINALIZER) } };
    if (a.kind === "setNodeName") next = { ...next, spec: { ...next.spec, nodeName: a.nodeName } };
  }
  return mustParse(kinds.Pod, next);
}

describe("planPod: realizing", () => {
  it("leaves a pod waiting for mirrorkube's scheduler alone, patching in only its display columns (once)", () => {
    const mirror = mirrorPod();
    const p = plan(mirror);
    expect(p.actions).toEqual([{ kind: "patchDisplay", display: { ready: "0/1", restarts: 0, display: "Pending" } }]);
    expect(plan(applied(mirror, p)).actions).toEqual([]);
  });

  it("realizes a bound pod: finalizer first, then the real Pod pinned to the node, an event, and Realized=True", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-1" } });
    const p = plan(mirror);
    expect(kinds_(p)).toEqual(["addFinalizer", "createRealPod", "event", "writeStatus"]);
    expect(only(p, "createRealPod").pod.spec?.nodeName).toBe("kwok-node-1");
    expect(only(p, "event")).toEqual({ kind: "event", type: "Normal", reason: "SuccessfulCreate", message: "Created real Pod ns/web on node kwok-node-1" });
    expect(findCondition(only(p, "writeStatus").status.conditions, REALIZED_CONDITION)?.status).toBe("True");
  });

  it("does not add the finalizer twice", () => {
    const p = plan(mirrorPod({ metadata: { finalizers: [REALIZER_FINALIZER] }, spec: { nodeName: "kwok-node-1" } }));
    expect(kinds_(p)).toEqual(["createRealPod", "event", "writeStatus"]);
  });

  it("realizes a default-scheduler pod at once, unpinned, unless scheduling gates remain", () => {
    const p = plan(mirrorPod({ spec: { schedulerName: "default-scheduler" } }));
    expect(only(p, "createRealPod").pod.spec?.nodeName).toBeUndefined();
    expect(only(p, "event").message).toBe("Created real Pod ns/web for kube-scheduler to place");
    expect(kinds_(plan(mirrorPod({ spec: { schedulerName: "default-scheduler", schedulingGates: [{ name: "x" }] } })))).not.toContain("createRealPod");
  });

  it("waits, saying why, when a volume is not ready", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-0", volumes: [{ name: "data", persistentVolumeClaim: { claimName: "c" } }] } });
    const p = plan(mirror, undefined, undefined, { translateVolume: () => ({ ok: false, message: "claim c is not bound" }) });
    expect(kinds_(p)).toEqual(["writeStatus"]);
    expect(findCondition(only(p, "writeStatus").status.conditions, REALIZED_CONDITION)).toMatchObject({ status: "False", reason: "VolumeNotReady", message: 'volume "data": claim c is not bound' });
  });
});

describe("planPod: a realized pod", () => {
  it("copies the real status back, then has nothing more to do", () => {
    const mirror = realizedMirror();
    const real = realPod(mirror, runningStatus());
    const p = plan(mirror, real);
    expect(kinds_(p)).toEqual(["writeStatus"]);
    expect(only(p, "writeStatus").status).toMatchObject({ phase: "Running", podIP: "10.244.0.9", ready: "1/1", display: "Running" });
    expect(plan(applied(mirror, p), real).actions).toEqual([]);
  });

  it("follows the node kube-scheduler chose for the real Pod", () => {
    const mirror = mirrorPod({ metadata: { finalizers: [REALIZER_FINALIZER] }, spec: { schedulerName: "default-scheduler" } });
    const real = realPod(mirror, runningStatus(), { nodeName: "kwok-node-1" });
    const p = plan(mirror, real);
    expect(only(p, "setNodeName").nodeName).toBe("kwok-node-1");
    expect(plan(applied(mirror, p), real).actions).toEqual([]);
  });

  it("brings the real Pod's labels to the mirror's (a test removing mirrorkube.dev/kwok to fix its pod)", () => {
    const mirror = realizedMirror();
    const real = realPod(mirror, runningStatus(false), { labels: { app: "web", "mirrorkube.dev/pod": "web", "mirrorkube.dev/kwok": "never-ready" } });
    const p = plan(mirror, real);
    expect(only(p, "patchRealMetadata")).toEqual({ kind: "patchRealMetadata", uid: "real-uid", patch: { labels: { "mirrorkube.dev/kwok": null } } });
  });

  it("re-adds a finalizer someone removed while the real Pod exists", () => {
    const mirror = realizedMirror({ metadata: { finalizers: [] } });
    expect(kinds_(plan(mirror, realPod(mirror, runningStatus())))).toContain("addFinalizer");
  });

  it("copies a terminal phase, and then leaves the finished real Pod alone", () => {
    const mirror = realizedMirror();
    const real = realPod(mirror, { ...runningStatus(false), phase: "Succeeded" });
    const p = plan(mirror, real);
    expect(only(p, "writeStatus").status.phase).toBe("Succeeded");
    expect(plan(applied(mirror, p), real).actions).toEqual([]);
  });
});

describe("planPod: a Pod of the same name that is not ours", () => {
  const foreign = (mirror: Pod) => realPod(mirror, runningStatus(), { controllerUid: null });

  it("is never touched: the mirror stays Pending with a Warning event and Realized=False, said once", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-0" } });
    const p = plan(mirror, foreign(mirror));
    expect(kinds_(p)).toEqual(["event", "writeStatus"]);
    expect(only(p, "event")).toMatchObject({ type: "Warning", reason: "RealPodConflict" });
    expect(only(p, "event").message).toContain("A Pod named ns/web already exists and is not controlled by this mirror Pod");
    const status = only(p, "writeStatus").status;
    expect(status.phase).toBe("Pending");
    expect(findCondition(status.conditions, REALIZED_CONDITION)).toMatchObject({ status: "False", reason: "RealPodConflict" });
    expect(plan(applied(mirror, p), foreign(mirror)).actions).toEqual([]);
  });

  it("names the other Pod's controller", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-0" } });
    const p = plan(mirror, realPod(mirror, {}, { controllerUid: "rs-uid" }));
    expect(only(p, "event").message).toContain("(its controller is Pod web)");
  });

  it("is created once the other Pod is gone", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-0" } });
    const blocked = applied(mirror, plan(mirror, foreign(mirror)));
    expect(kinds_(plan(blocked))).toEqual(["addFinalizer", "createRealPod", "event", "writeStatus"]);
    expect(only(plan(blocked), "writeStatus").status.message).toBeUndefined();
  });
});

describe("planPod: failing for good", () => {
  it("a real Pod that disappeared fails the mirror Pod (RealPodDeleted), and it is never created again", () => {
    const mirror = realizedMirror();
    const p = plan(mirror);
    expect(kinds_(p)).toEqual(["writeStatus", "event"]);
    expect(only(p, "writeStatus").status).toMatchObject({ phase: "Failed", reason: "RealPodDeleted", display: "RealPodDeleted" });
    expect(only(p, "event")).toMatchObject({ type: "Warning", reason: "RealPodDeleted" });
    expect(plan(applied(mirror, p)).actions).toEqual([]);
  });

  it("a real Pod replaced by someone else's fails the mirror Pod too, and the other Pod is left alone", () => {
    const mirror = realizedMirror();
    const p = plan(mirror, realPod(mirror, runningStatus(), { controllerUid: null }));
    expect(kinds_(p)).toEqual(["writeStatus", "event"]);
    expect(only(p, "writeStatus").status.message).toContain("a Pod this mirror Pod does not control took its name");
  });

  it("a deleted node fails the pod with NodeLost and deletes the real Pod with the pod's grace period", () => {
    const mirror = realizedMirror({ spec: { terminationGracePeriodSeconds: 12 } });
    const p = plan(mirror, realPod(mirror, runningStatus()), []);
    expect(kinds_(p)).toEqual(["writeStatus", "event", "deleteRealPod"]);
    expect(only(p, "writeStatus").status).toMatchObject({ phase: "Failed", reason: "NodeLost", message: "Node kwok-node-0 which was running pod web was deleted", ready: "0/1" });
    expect(only(p, "deleteRealPod")).toEqual({ kind: "deleteRealPod", uid: "real-uid", gracePeriodSeconds: 12 });
  });

  it("a bound pod not yet realized on a deleted node fails without creating anything", () => {
    expect(kinds_(plan(mirrorPod({ spec: { nodeName: "gone" } })))).toEqual(["writeStatus", "event"]);
  });

  it("a NotReady node: wait out the grace period (requeue), then NodeLost", () => {
    const mirror = realizedMirror();
    const real = realPod(mirror, runningStatus());
    const synced = applied(mirror, plan(mirror, real));
    const waiting = plan(synced, real, [node("kwok-node-0", "Unknown", 15)]);
    expect(waiting.actions).toEqual([]);
    expect(waiting.requeueAfterMs).toBe(25_000);
    const lost = plan(synced, real, [node("kwok-node-0", "Unknown", 40)]);
    expect(only(lost, "writeStatus").status).toMatchObject({ phase: "Failed", reason: "NodeLost", message: "Node kwok-node-0 which was running pod web is unresponsive" });
    expect(kinds_(lost)).toContain("deleteRealPod");
  });

  it("a Failed pod stays Failed: its status is not copied any more, a real Pod still running is deleted", () => {
    const mirror = realizedMirror();
    const failed = applied(mirror, plan(mirror, undefined, []));
    const real = realPod(mirror, runningStatus());
    expect(plan(failed, real)).toEqual({ actions: [{ kind: "deleteRealPod", uid: "real-uid", gracePeriodSeconds: 30 }] });
    expect(plan(failed, realPod(mirror, runningStatus(), { deleting: true })).actions).toEqual([]);
  });
});

describe("planPod: deletion", () => {
  const deleting = (over: Parameters<typeof realizedMirror>[0] = {}) => realizedMirror({ ...over, metadata: { deletionTimestamp: NOW, deletionGracePeriodSeconds: 0, ...over.metadata } });

  it("deletes the real Pod with the pod's termination grace period (a custom resource never gets a graceful deletion), holding the finalizer", () => {
    const mirror = deleting({ spec: { terminationGracePeriodSeconds: 7 } });
    const p = plan(mirror, realPod(mirror, runningStatus()));
    expect(only(p, "deleteRealPod")).toEqual({ kind: "deleteRealPod", uid: "real-uid", gracePeriodSeconds: 7 });
    expect(only(p, "writeStatus").status.display).toBe("Terminating");
    // Once the status follows the real Pod, deletion changes only the STATUS column.
    const synced = applied(realizedMirror(), plan(realizedMirror(), realPod(mirror, runningStatus())));
    const later = plan(mirrorPod({ metadata: { ...synced.metadata, deletionTimestamp: NOW }, spec: synced.spec, status: synced.status }), realPod(mirror, runningStatus()));
    expect(only(later, "patchDisplay").display).toEqual({ ready: "1/1", restarts: 0, display: "Terminating" });
    expect(kinds_(p)).not.toContain("removeFinalizer");
  });

  it("honours a positive deletion grace period", () => {
    const mirror = deleting({ metadata: { deletionGracePeriodSeconds: 3 } });
    expect(only(plan(mirror, realPod(mirror, runningStatus())), "deleteRealPod").gracePeriodSeconds).toBe(3);
  });

  it("waits while the real Pod terminates", () => {
    const mirror = deleting();
    const real = realPod(mirror, runningStatus(), { deleting: true });
    const synced = applied(mirror, plan(mirror, real));
    expect(plan(synced, real).actions).toEqual([]);
  });

  it("removes the finalizer once the real Pod is gone (no status write: the object goes with it)", () => {
    expect(plan(deleting())).toEqual({ actions: [{ kind: "removeFinalizer" }] });
  });

  it("removes the finalizer without touching a Pod of the same name that is not ours", () => {
    const mirror = deleting();
    expect(plan(mirror, realPod(mirror, runningStatus(), { controllerUid: "other" }))).toEqual({ actions: [{ kind: "removeFinalizer" }] });
  });

  it("a pod never realized just loses its finalizer; without one there is nothing to do", () => {
    const never = mirrorPod({ metadata: { deletionTimestamp: NOW, finalizers: [REALIZER_FINALIZER] } });
    expect(plan(never)).toEqual({ actions: [{ kind: "removeFinalizer" }] });
    const bare = mirrorPod({ metadata: { deletionTimestamp: NOW }, status: { display: "Terminating", ready: "0/1", restarts: 0 } });
    expect(plan(bare).actions).toEqual([]);
  });
});

describe("planInvalid: a mirror Pod that does not parse", () => {
  const broken = (deleting: boolean) => ({
    apiVersion: kinds.Pod.apiVersion,
    kind: "Pod",
    metadata: { name: "web", namespace: "ns", uid: MIRROR_UID, finalizers: [REALIZER_FINALIZER], ...(deleting && { deletionTimestamp: NOW }) },
    spec: { containers: "not a list", terminationGracePeriodSeconds: 5 },
  });

  it("is left alone while it lives", () => {
    expect(planInvalid(broken(false), undefined).actions).toEqual([]);
  });

  it("is still released when deleted: its real Pod deleted, then its finalizer removed", () => {
    const real = realPod(realizedMirror(), runningStatus());
    expect(planInvalid(broken(true), real).actions).toEqual([{ kind: "deleteRealPod", uid: "real-uid", gracePeriodSeconds: 5 }]);
    expect(planInvalid(broken(true), undefined).actions).toEqual([{ kind: "removeFinalizer" }]);
  });
});

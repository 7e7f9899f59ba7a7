import { describe, expect, it } from "vitest";
import { findCondition } from "../common/index.ts";
import { REALIZED_CONDITION } from "./names.ts";
import { currentStatus, failedStatus, notRealizedStatus, realizedStatus, statusChanged, statusFromReal } from "./status.ts";
import { mirrorPod, NOW, realizedMirror, realPod, runningStatus, secondsAgo } from "./testing.ts";

describe("statusFromReal", () => {
  it("copies the runtime status of the real Pod and computes the display columns", () => {
    const mirror = realizedMirror();
    const real = realPod(mirror, runningStatus());
    const status = statusFromReal(mirror, real, NOW);
    const rs = real.status!;
    expect(status).toMatchObject({
      phase: "Running",
      podIP: rs.podIP,
      podIPs: rs.podIPs,
      hostIP: rs.hostIP,
      hostIPs: rs.hostIPs,
      startTime: rs.startTime,
      qosClass: "BestEffort",
      containerStatuses: rs.containerStatuses,
      ready: "1/1",
      restarts: 0,
      display: "Running",
    });
    expect(status.conditions?.map((c) => c.type)).toEqual(["PodScheduled", "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", REALIZED_CONDITION]);
  });

  it("keeps the PodScheduled condition mirrorkube's scheduler wrote, and its nominatedNodeName", () => {
    const mirror = realizedMirror({ status: { nominatedNodeName: "kwok-node-0" } });
    const ownScheduled = findCondition(mirror.status.conditions, "PodScheduled");
    const status = statusFromReal(mirror, realPod(mirror, runningStatus()), NOW);
    expect(findCondition(status.conditions, "PodScheduled")).toEqual(ownScheduled);
    expect(status.nominatedNodeName).toBe("kwok-node-0");
  });

  it("takes PodScheduled from the real Pod when kube-scheduler places it", () => {
    const mirror = mirrorPod({ spec: { schedulerName: "default-scheduler" } });
    const unschedulable = { type: "PodScheduled", status: "False" as const, reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient cpu.", lastTransitionTime: secondsAgo(5) };
    const status = statusFromReal(mirror, realPod(mirror, { phase: "Pending", conditions: [unschedulable] }), NOW);
    expect(findCondition(status.conditions, "PodScheduled")).toEqual(unschedulable);
    expect(status.display).toBe("Pending");
  });

  it("takes the real Pod's PodScheduled when the mirror has none (its nodeName was set by hand)", () => {
    const mirror = mirrorPod({ spec: { nodeName: "kwok-node-0" } });
    const status = statusFromReal(mirror, realPod(mirror, runningStatus()), NOW);
    expect(findCondition(status.conditions, "PodScheduled")?.status).toBe("True");
  });

  it("drops the nulls the API server writes for unset times, and fields the mirror schema does not know", () => {
    const mirror = realizedMirror();
    const rs = runningStatus();
    const withNulls = {
      ...rs,
      conditions: rs.conditions?.map((c) => ({ ...c, lastProbeTime: null })),
      somethingNew: { x: 1 },
    } as unknown as typeof rs;
    const status = statusFromReal(mirror, realPod(mirror, withNulls), NOW);
    expect(status.conditions?.every((c) => !("lastProbeTime" in c))).toBe(true);
    expect(status).not.toHaveProperty("somethingNew");
  });

  it("keeps the Realized condition's transition time while it stays True", () => {
    const mirror = realizedMirror();
    const status = statusFromReal(mirror, realPod(mirror, runningStatus()), NOW);
    expect(findCondition(status.conditions, REALIZED_CONDITION)?.lastTransitionTime).toBe(secondsAgo(59));
  });

  it("leaves out the message the realizer wrote while it could not realize the pod", () => {
    const blocked = notRealizedStatus(mirrorPod({ spec: { nodeName: "n" } }), "RealPodConflict", "in the way", NOW);
    const mirror = mirrorPod({ spec: { nodeName: "n" }, status: blocked });
    expect(statusFromReal(mirror, realPod(mirror, runningStatus()), NOW).message).toBeUndefined();
    expect(realizedStatus(mirror, NOW).message).toBeUndefined();
  });
});

describe("the realizer's own statuses", () => {
  it("realized: Pending, Realized=True", () => {
    const status = realizedStatus(mirrorPod({ spec: { nodeName: "n" } }), NOW);
    expect(status.phase).toBe("Pending");
    expect(findCondition(status.conditions, REALIZED_CONDITION)).toMatchObject({ status: "True", reason: "SuccessfulCreate", lastTransitionTime: NOW });
    expect(status).toMatchObject({ ready: "0/1", restarts: 0, display: "Pending" });
  });

  it("not realized: Pending, Realized=False with the reason, and the message in status", () => {
    const status = notRealizedStatus(mirrorPod({ spec: { nodeName: "n" } }), "RealPodConflict", "a Pod named ns/web exists", NOW);
    expect(status).toMatchObject({ phase: "Pending", message: "a Pod named ns/web exists", display: "Pending" });
    expect(findCondition(status.conditions, REALIZED_CONDITION)).toMatchObject({ status: "False", reason: "RealPodConflict", message: "a Pod named ns/web exists" });
  });

  it("failed: Failed with the reason as STATUS, not ready anywhere, last runtime status kept", () => {
    const mirror = realizedMirror();
    const running = mirrorPod({ metadata: mirror.metadata, spec: mirror.spec, status: statusFromReal(mirror, realPod(mirror, runningStatus()), NOW) });
    const status = failedStatus(running, "NodeLost", "Node kwok-node-0 which was running pod web was deleted", NOW);
    expect(status).toMatchObject({ phase: "Failed", reason: "NodeLost", message: "Node kwok-node-0 which was running pod web was deleted", ready: "0/1", display: "NodeLost" });
    expect(status.podIP).toBe(running.status.podIP);
    expect(findCondition(status.conditions, "Ready")).toMatchObject({ status: "False", reason: "NodeLost", lastTransitionTime: NOW });
    expect(findCondition(status.conditions, "ContainersReady")?.status).toBe("False");
    expect(status.containerStatuses?.every((c) => !c.ready)).toBe(true);
  });

  it("current: the mirror's own status, display fields brought up to date (Terminating once deleted)", () => {
    expect(currentStatus(mirrorPod())).toMatchObject({ phase: "Pending", ready: "0/1", restarts: 0, display: "Pending" });
    expect(currentStatus(mirrorPod({ metadata: { deletionTimestamp: NOW } })).display).toBe("Terminating");
  });
});

describe("statusChanged", () => {
  it("is false for the same status however it is spelt, true for any difference", () => {
    const mirror = realizedMirror();
    const status = statusFromReal(mirror, realPod(mirror, runningStatus()), NOW);
    const reordered = Object.fromEntries(Object.entries(status).reverse()) as typeof status;
    expect(statusChanged(status, { ...reordered, message: undefined })).toBe(false);
    expect(statusChanged(status, { ...status, podIP: "10.244.0.10" })).toBe(true);
  });
});

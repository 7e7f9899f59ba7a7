import { describe, expect, it } from "vitest";
import type { DeploymentCondition, DeploymentStatus } from "../../api/index.ts";
import { planDeployment } from "./plan.ts";
import { onReplicaSetCreateError } from "./sync.ts";
import { at, deployment, iso, replicaSetFor, type DeploymentOptions } from "./testdata/fixtures.ts";

const REV = { "deployment.kubernetes.io/revision": "1" };

function progressingAt(seconds: number, reason: string, status: DeploymentCondition["status"] = "True"): DeploymentCondition {
  return { type: "Progressing", status, reason, message: "earlier", lastUpdateTime: iso(seconds), lastTransitionTime: iso(seconds) };
}

/** A 3-replica Deployment whose one ReplicaSet runs `available` available pods, seen by the previous sync as `before`. */
function scene(available: number, before: DeploymentStatus, o: DeploymentOptions = {}) {
  const d = deployment({ replicas: 3, annotations: REV, status: before, ...o });
  const rs = replicaSetFor(d, { replicas: 3, available, revision: 1, desired: 3, max: 4 });
  return { d, rs };
}

const counts = (available: number): DeploymentStatus => ({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: available, availableReplicas: available });
const progressing = (s: DeploymentStatus) => s.conditions?.find((c) => c.type === "Progressing");
const availableCond = (s: DeploymentStatus) => s.conditions?.find((c) => c.type === "Available");

describe("the Progressing condition", () => {
  it("FoundNewReplicaSet: a Deployment without one starts measuring from its new ReplicaSet", () => {
    const { d, rs } = scene(1, counts(1));
    const plan = planDeployment(d, [rs], [], at(10));
    expect(progressing(plan.status)).toEqual({
      type: "Progressing",
      status: "True",
      reason: "FoundNewReplicaSet",
      message: `Found new replica set "${rs.metadata.name}"`,
      lastUpdateTime: iso(10),
      lastTransitionTime: iso(10),
    });
  });

  it("ReplicaSetUpdated: progress refreshes lastUpdateTime and keeps lastTransitionTime", () => {
    const { d, rs } = scene(2, { ...counts(1), conditions: [progressingAt(5, "ReplicaSetUpdated")] });
    const plan = planDeployment(d, [rs], [], at(10));
    expect(progressing(plan.status)).toEqual({
      type: "Progressing",
      status: "True",
      reason: "ReplicaSetUpdated",
      message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
      lastUpdateTime: iso(10),
      lastTransitionTime: iso(5),
    });
  });

  it("NewReplicaSetAvailable once complete, and left alone afterwards", () => {
    const { d, rs } = scene(3, { ...counts(2), conditions: [progressingAt(5, "ReplicaSetUpdated")] });
    const plan = planDeployment(d, [rs], [], at(10));
    expect(progressing(plan.status)).toMatchObject({
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
      lastUpdateTime: iso(10),
      lastTransitionTime: iso(5),
    });
    const later = planDeployment({ ...d, status: plan.status }, [rs], [], at(5000));
    expect(later.statusChanged).toBe(false);
    expect(later.requeueAfterMs).toBeUndefined();
  });

  it("ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds", () => {
    const { d, rs } = scene(1, { ...counts(1), conditions: [progressingAt(0, "ReplicaSetUpdated")] }, { progressDeadlineSeconds: 60 });
    expect(progressing(planDeployment(d, [rs], [], at(60)).status)?.reason).toBe("ReplicaSetUpdated");
    const plan = planDeployment(d, [rs], [], at(61));
    expect(progressing(plan.status)).toEqual({
      type: "Progressing",
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.`,
      lastUpdateTime: iso(61),
      lastTransitionTime: iso(61),
    });
    // Timed out for good: no more checks scheduled.
    expect(planDeployment({ ...d, status: plan.status }, [rs], [], at(62)).requeueAfterMs).toBeUndefined();
  });

  it("progress after a timeout makes it progressing again", () => {
    const { d, rs } = scene(2, { ...counts(1), conditions: [progressingAt(0, "ProgressDeadlineExceeded", "False")] }, { progressDeadlineSeconds: 60 });
    expect(progressing(planDeployment(d, [rs], [], at(100)).status)).toMatchObject({ status: "True", reason: "ReplicaSetUpdated", lastTransitionTime: iso(100) });
  });

  it("asks to be looked at again when the deadline would pass, a second late", () => {
    const { d, rs } = scene(1, { ...counts(1), conditions: [progressingAt(0, "ReplicaSetUpdated")] }, { progressDeadlineSeconds: 60 });
    const settled = planDeployment(d, [rs], [], at(10));
    const plan = planDeployment({ ...d, status: settled.status }, [rs], [], at(20));
    expect(plan.statusChanged).toBe(false);
    expect(plan.requeueAfterMs).toBe(41_000);
  });

  it("is dropped without a deadline (progressDeadlineSeconds MaxInt32)", () => {
    const { d, rs } = scene(2, { ...counts(1), conditions: [progressingAt(0, "ReplicaSetUpdated")] }, { progressDeadlineSeconds: 2147483647 });
    const plan = planDeployment(d, [rs], [], at(10));
    expect(progressing(plan.status)).toBeUndefined();
    expect(plan.requeueAfterMs).toBeUndefined();
  });

  it("DeploymentPaused and DeploymentResumed, Unknown", () => {
    const { d, rs } = scene(1, { ...counts(1), conditions: [progressingAt(0, "ReplicaSetUpdated")] }, { paused: true });
    const paused = planDeployment(d, [rs], [], at(10));
    expect(progressing(paused.status)).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused", lastTransitionTime: iso(10) });
    const resumed = planDeployment({ ...d, spec: { ...d.spec, paused: false }, status: paused.status }, [rs], [], at(900));
    expect(paused.requeueAfterMs).toBeUndefined();
    expect(progressing(resumed.status)).toMatchObject({ status: "Unknown", reason: "DeploymentResumed", message: "Deployment is resumed", lastUpdateTime: iso(900) });
    // The deadline counts from the resume, not from before the pause.
    expect(resumed.requeueAfterMs).toBe(601_000);
  });

  it("a timed-out rollout stays timed out when paused", () => {
    const { d, rs } = scene(1, { ...counts(1), conditions: [progressingAt(0, "ProgressDeadlineExceeded", "False")] }, { paused: true });
    expect(progressing(planDeployment(d, [rs], [], at(10)).status)?.reason).toBe("ProgressDeadlineExceeded");
  });

  it("ReplicaSetCreateError with upstream's message and a warning", () => {
    const d = deployment({ replicas: 3 });
    const { status, event } = onReplicaSetCreateError(d, {}, "web-abc", 'replicasets "web-abc" is forbidden: exceeded quota', at(3));
    const message = 'Failed to create new replica set "web-abc": replicasets "web-abc" is forbidden: exceeded quota';
    expect(progressing(status)).toEqual({ type: "Progressing", status: "False", reason: "ReplicaSetCreateError", message, lastUpdateTime: iso(3), lastTransitionTime: iso(3) });
    expect(event).toEqual({ type: "Warning", reason: "ReplicaSetCreateError", message });
  });
});

describe("the Available condition", () => {
  it("True at replicas − maxUnavailable, keeping lastTransitionTime while it holds", () => {
    const d = deployment({ replicas: 4, annotations: REV, status: counts(4) });
    const rs = (available: number) => replicaSetFor(d, { replicas: 4, available, revision: 1, desired: 4, max: 5 });
    const first = planDeployment(d, [rs(3)], [], at(10)).status;
    expect(availableCond(first)).toEqual({
      type: "Available",
      status: "True",
      reason: "MinimumReplicasAvailable",
      message: "Deployment has minimum availability.",
      lastUpdateTime: iso(10),
      lastTransitionTime: iso(10),
    });
    expect(availableCond(planDeployment({ ...d, status: first }, [rs(4)], [], at(20)).status)).toEqual(availableCond(first));
    const lost = planDeployment({ ...d, status: first }, [rs(2)], [], at(30)).status;
    expect(availableCond(lost)).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", lastTransitionTime: iso(30) });
  });

  it("needs every replica for Recreate", () => {
    const d = deployment({ replicas: 4, strategy: { type: "Recreate" }, annotations: REV, status: counts(4) });
    const rs = replicaSetFor(d, { replicas: 4, available: 3, revision: 1, desired: 4, max: 4 });
    expect(availableCond(planDeployment(d, [rs], [], at(10)).status)?.status).toBe("False");
  });
});

describe("ReplicaFailure", () => {
  it("surfaces the new ReplicaSet's failure, and clears it once gone", () => {
    const { d, rs } = scene(1, counts(1));
    const failing = { ...rs, status: { ...rs.status, replicas: 1, conditions: [{ type: "ReplicaFailure", status: "True" as const, reason: "FailedCreate", message: "quota", lastTransitionTime: iso(4) }] } };
    const plan = planDeployment(d, [failing], [], at(10));
    expect(plan.status.conditions?.find((c) => c.type === "ReplicaFailure")).toEqual({
      type: "ReplicaFailure",
      status: "True",
      reason: "FailedCreate",
      message: "quota",
      lastUpdateTime: iso(4),
      lastTransitionTime: iso(4),
    });
    expect(planDeployment({ ...d, status: plan.status }, [rs], [], at(20)).status.conditions?.some((c) => c.type === "ReplicaFailure")).toBe(false);
  });
});

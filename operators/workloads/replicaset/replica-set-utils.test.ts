import { describe, expect, it } from "vitest";
import { ago, makePod, makeReplicaSet, NOW } from "../common/testing.ts";
import { calculateStatus, REPLICA_FAILURE, setCondition } from "./replica-set-utils.ts";

const later = new Date(NOW.getTime() + 60_000);

describe("calculateStatus", () => {
  it("counts replicas, fully labeled, ready and available pods", () => {
    const rs = makeReplicaSet({ replicas: 4, minReadySeconds: 30, selector: { app: "web" }, templateLabels: { app: "web", tier: "fe" } });
    const pods = [
      makePod({ labels: { app: "web", tier: "fe", extra: "x" }, readySince: 60 }), // fully labeled, available
      makePod({ labels: { app: "web", tier: "fe" }, readySince: 10 }), // ready, not yet available
      makePod({ labels: { app: "web" }, readySince: false }), // missing a template label
      makePod({ labels: { app: "web", tier: "be" } }), // a template label with another value
    ];
    expect(calculateStatus(rs, pods, undefined, NOW)).toEqual({
      replicas: 4,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 1,
      observedGeneration: 1,
      selector: "app=web",
    });
  });

  it("writes counts of 0, so the printer columns show 0 as kubectl does for the built-in kind", () => {
    expect(calculateStatus(makeReplicaSet({ replicas: 2 }), [], undefined, NOW)).toEqual({
      replicas: 0,
      fullyLabeledReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
      selector: "app=web",
    });
  });

  it("records the generation it describes", () => {
    expect(calculateStatus(makeReplicaSet({ generation: 7 }), [], undefined, NOW).observedGeneration).toBe(7);
  });

  it("adds ReplicaFailure FailedCreate with the error as message when too few pods could be made", () => {
    const rs = makeReplicaSet({ replicas: 3 });
    const err = new Error('pods.core.mirrorkube.dev "web-" is forbidden: exceeded quota: q, requested: count/pods=1, used: count/pods=1, limited: count/pods=1');
    expect(calculateStatus(rs, [makePod()], err, NOW).conditions).toEqual([
      { type: REPLICA_FAILURE, status: "True", reason: "FailedCreate", message: err.message, lastTransitionTime: ago(0) },
    ]);
  });

  it("adds ReplicaFailure FailedDelete when too many pods could not be deleted", () => {
    const rs = makeReplicaSet({ replicas: 1 });
    const status = calculateStatus(rs, [makePod(), makePod()], new Error("unable to delete pods: boom"), NOW);
    expect(status.conditions?.[0]).toMatchObject({ type: REPLICA_FAILURE, status: "True", reason: "FailedDelete", message: "unable to delete pods: boom" });
  });

  it("keeps the failure as first recorded while it lasts, and removes it after a good sync", () => {
    const first = { type: REPLICA_FAILURE, status: "True" as const, reason: "FailedCreate", message: "first", lastTransitionTime: ago(100) };
    const other = { type: "Example", status: "True" as const };
    const rs = makeReplicaSet({ replicas: 3, status: { replicas: 0, conditions: [other, first] } });
    expect(calculateStatus(rs, [], new Error("second"), later).conditions).toEqual([other, first]);
    expect(calculateStatus(rs, [], undefined, later).conditions).toEqual([other]);
    const onlyFailure = makeReplicaSet({ status: { replicas: 0, conditions: [first] } });
    expect(calculateStatus(onlyFailure, [], undefined, later).conditions).toBeUndefined();
  });

  it("drops terminatingReplicas (upstream writes it only behind a feature gate that is off)", () => {
    const rs = makeReplicaSet({ status: { replicas: 1, terminatingReplicas: 2 } });
    expect(calculateStatus(rs, [], undefined, NOW).terminatingReplicas).toBeUndefined();
  });
});

describe("setCondition", () => {
  const cond = (reason: string, message: string) => ({ type: REPLICA_FAILURE, status: "True" as const, reason, message, lastTransitionTime: ago(5) });

  it("keeps a condition with the same status and reason as it is", () => {
    const current = [cond("FailedCreate", "old")];
    expect(setCondition(current, { ...cond("FailedCreate", "new"), lastTransitionTime: ago(0) })).toEqual(current);
  });

  it("replaces one with another reason, moving it last", () => {
    const other = { type: "X", status: "True" as const };
    expect(setCondition([cond("FailedCreate", "a"), other], cond("FailedDelete", "b"))).toEqual([other, cond("FailedDelete", "b")]);
  });
});

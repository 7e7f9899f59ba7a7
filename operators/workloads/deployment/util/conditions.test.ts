import { describe, expect, it } from "vitest";
import { deployment, iso } from "../testdata/fixtures.ts";
import { deploymentComplete, deploymentProgressing, newCondition, removeCondition, setCondition } from "./conditions.ts";

describe("setCondition", () => {
  const a = newCondition("Available", "True", "MinimumReplicasAvailable", "m", iso(1));
  const p = newCondition("Progressing", "True", "ReplicaSetUpdated", "m", iso(1));

  it("leaves a condition with the same status and reason alone, times and message included", () => {
    const s = { conditions: [a, p] };
    expect(setCondition(s, newCondition("Progressing", "True", "ReplicaSetUpdated", "other", iso(9)))).toBe(s);
  });

  it("keeps lastTransitionTime when only the reason changes, and moves the condition to the end", () => {
    const next = setCondition({ conditions: [p, a] }, newCondition("Progressing", "True", "NewReplicaSetAvailable", "done", iso(9)));
    expect(next.conditions).toEqual([a, { ...p, reason: "NewReplicaSetAvailable", message: "done", lastUpdateTime: iso(9) }]);
  });

  it("takes a new lastTransitionTime when the status changes", () => {
    const next = setCondition({ conditions: [a] }, newCondition("Available", "False", "MinimumReplicasUnavailable", "x", iso(9)));
    expect(next.conditions?.[0]?.lastTransitionTime).toBe(iso(9));
    expect(removeCondition(next, "Available")).toEqual({});
  });
});

describe("complete and progressing", () => {
  const d = deployment({ replicas: 3, generation: 2, status: { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } });

  it("is complete when every replica is updated and available and the spec observed", () => {
    expect(deploymentComplete(d, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).toBe(true);
    expect(deploymentComplete(d, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).toBe(false);
    expect(deploymentComplete(d, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).toBe(false);
  });

  it("progresses with more updated, fewer old, more ready or more available replicas", () => {
    const same = { replicas: 4, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
    expect(deploymentProgressing(d, same)).toBe(false);
    expect(deploymentProgressing(d, { ...same, updatedReplicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { ...same, replicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { ...same, readyReplicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { ...same, availableReplicas: 3 })).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { NOW } from "../common/testing.ts";
import { countReplicas, statefulSetStatus } from "./status.ts";
import { makeSet, member } from "./testing.ts";

describe("countReplicas", () => {
  it("counts every pod, the ready and available ones, and the non-terminating ones by revision", () => {
    const pods = [
      member(0, { revision: "r1" }),
      member(1, { revision: "r2", readySince: 5 }),
      member(2, { revision: "r2", readySince: false }),
      member(3, { revision: "r1", deleting: true }),
      member(4, { revision: "r2", phase: "Pending", readySince: undefined }),
    ];
    expect(countReplicas(pods, 10, NOW, "r1", "r2")).toEqual({ replicas: 5, readyReplicas: 3, availableReplicas: 2, currentReplicas: 1, updatedReplicas: 3 });
  });
});

describe("statefulSetStatus", () => {
  const counts = { replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 0, updatedReplicas: 3 };

  it("completes a rolling update once every replica is updated and ready", () => {
    expect(statefulSetStatus(makeSet({ generation: 4 }), { counts, currentRevision: "r1", updateRevision: "r2", collisionCount: 0 })).toEqual({
      observedGeneration: 4,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: "r2",
      updateRevision: "r2",
      collisionCount: 0,
      selector: "app=web",
      ready: "3/3",
    });
  });

  it("does not complete while a replica is not ready, nor ever under OnDelete (as upstream)", () => {
    const notReady = statefulSetStatus(makeSet(), { counts: { ...counts, readyReplicas: 2 }, currentRevision: "r1", updateRevision: "r2", collisionCount: 0 });
    expect(notReady).toMatchObject({ currentRevision: "r1", currentReplicas: 0, ready: "2/3" });
    const onDelete = statefulSetStatus(makeSet({ updateStrategy: { type: "OnDelete" } }), { counts, currentRevision: "r1", updateRevision: "r2", collisionCount: 0 });
    expect(onDelete).toMatchObject({ currentRevision: "r1", currentReplicas: 0 });
  });
});

import { describe, expect, it } from "vitest";
import type { ControllerRevision } from "../../workloads/statefulset/index.ts";
import { historyTable, revisionToRestore, statefulSetRolloutStatus, statefulSetRollout, type StatefulSetObject } from "./statefulset.ts";

const set = (status: StatefulSetObject["status"], strategy: StatefulSetObject["spec"]["updateStrategy"] = { type: "RollingUpdate", rollingUpdate: { partition: 0 } }, generation = 2): StatefulSetObject => ({
  metadata: { name: "db", generation },
  spec: { replicas: 3, updateStrategy: strategy },
  status,
});

const revision = (n: number, cause?: string): ControllerRevision => ({ metadata: { name: `db-r${n}`, ...(cause && { annotations: { "kubernetes.io/change-cause": cause } }) }, revision: n });

describe("StatefulSet rollout status (kubectl's StatefulSetStatusViewer)", () => {
  it.each([
    [undefined, "Waiting for statefulset spec update to be observed...\n", false],
    [{ replicas: 3, observedGeneration: 1 }, "Waiting for statefulset spec update to be observed...\n", false],
    [{ replicas: 3, observedGeneration: 2, readyReplicas: 1 }, "Waiting for 2 pods to be ready...\n", false],
    [{ replicas: 3, observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }, "partitioned roll out complete: 3 new pods have been updated...\n", true],
  ])("status %j: %s", (status, message, done) => {
    expect(statefulSetRolloutStatus(set(status as StatefulSetObject["status"]))).toEqual({ message, done });
  });

  it("waits for the pods from the partition up", () => {
    const s = set({ replicas: 3, observedGeneration: 2, readyReplicas: 3, updatedReplicas: 0 }, { type: "RollingUpdate", rollingUpdate: { partition: 1 } });
    expect(statefulSetRolloutStatus(s)).toEqual({ message: "Waiting for partitioned roll out to finish: 0 out of 2 new pods have been updated...\n", done: false });
  });

  it("compares revisions when there is no rollingUpdate, and refuses OnDelete", () => {
    const st = { replicas: 3, observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentReplicas: 2, currentRevision: "db-a", updateRevision: "db-b" };
    expect(statefulSetRolloutStatus(set(st, { type: "RollingUpdate" })).message).toBe("waiting for statefulset rolling update to complete 1 pods at revision db-b...\n");
    expect(statefulSetRolloutStatus(set({ ...st, currentRevision: "db-b", currentReplicas: 3 }, { type: "RollingUpdate" }))).toEqual({ message: "statefulset rolling update complete 3 pods at revision db-b...\n", done: true });
    expect(() => statefulSetRolloutStatus(set(st, { type: "OnDelete" }))).toThrow("rollout status is only available for RollingUpdate strategy type");
  });
});

describe("StatefulSet rollout history and undo", () => {
  it("lists the ControllerRevisions by number with their change-cause", () => {
    expect(historyTable([revision(2, "image app:2"), revision(3)])).toBe(["REVISION  CHANGE-CAUSE", "2         image app:2", "3         <none>", ""].join("\n"));
    expect(historyTable([])).toBe("No rollout history found.");
  });

  it("goes back to the given revision, or the one before the newest", () => {
    const history = [revision(1), revision(2), revision(4)];
    expect(revisionToRestore(history, 0).metadata?.name).toBe("db-r2");
    expect(revisionToRestore(history, 1).metadata?.name).toBe("db-r1");
    expect(() => revisionToRestore(history, 3)).toThrow("unable to find specified revision 3 in history");
    expect(() => revisionToRestore([revision(1)], 0)).toThrow("no last revision to roll back to");
  });

  it("answers to kubectl's names, and restarts through the template's restartedAt", () => {
    expect(statefulSetRollout.names).toEqual(expect.arrayContaining(["statefulset", "statefulsets", "sts", "msts", "sts.apps.mirrorkube.dev"]));
    expect(statefulSetRollout.kindGroup).toBe("statefulset.apps.mirrorkube.dev");
    expect(statefulSetRollout.pause).toBeUndefined();
    const patch = statefulSetRollout.restart(set(undefined), new Date("2026-11-23T15:47:05Z"));
    expect(Object.keys((patch.patch as { spec: { template: { metadata: { annotations: object } } } }).spec.template.metadata.annotations)).toEqual(["kubectl.kubernetes.io/restartedAt"]);
  });
});

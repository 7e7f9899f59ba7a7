import { describe, expect, it } from "vitest";
import { deployment, replicaSetFor } from "../testdata/fixtures.ts";
import { copyDeploymentAnnotations, intAnnotation, newReplicaSetAnnotations, rollbackAnnotations, rollbackToRevision, setReplicasAnnotations } from "./annotations.ts";
import {
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  ROLLBACK_TO_ANNOTATION,
} from "./constants.ts";

const bookkeeping = {
  [LAST_APPLIED_ANNOTATION]: "{}",
  [REVISION_ANNOTATION]: "7",
  [REVISION_HISTORY_ANNOTATION]: "1,2",
  [DESIRED_REPLICAS_ANNOTATION]: "9",
  [MAX_REPLICAS_ANNOTATION]: "12",
  [ROLLBACK_TO_ANNOTATION]: "3",
};

describe("copyDeploymentAnnotations", () => {
  it("copies everything but the controller's bookkeeping and last-applied-configuration", () => {
    const d = deployment({ annotations: { ...bookkeeping, "kubernetes.io/change-cause": "v2", team: "a" } });
    const { annotations, changed } = copyDeploymentAnnotations(d, { team: "b", keep: "me" });
    expect(changed).toBe(true);
    expect(annotations).toEqual({ "kubernetes.io/change-cause": "v2", team: "a", keep: "me" });
  });

  it("reports no change when all are there", () => {
    const d = deployment({ annotations: { team: "a" } });
    expect(copyDeploymentAnnotations(d, { team: "a", [REVISION_ANNOTATION]: "1" }).changed).toBe(false);
  });
});

describe("newReplicaSetAnnotations", () => {
  const d = deployment({ replicas: 10, annotations: { team: "a" } });

  it("gives a new ReplicaSet the next revision and the replicas annotations", () => {
    const rs = replicaSetFor(d);
    const { annotations } = newReplicaSetAnnotations(d, { ...rs, metadata: { ...rs.metadata, annotations: {} } }, "4", false);
    expect(annotations).toEqual({ team: "a", [REVISION_ANNOTATION]: "4", [DESIRED_REPLICAS_ANNOTATION]: "10", [MAX_REPLICAS_ANNOTATION]: "13" });
  });

  it("raises a reused ReplicaSet's revision and records the old one in the history", () => {
    const rs = replicaSetFor(d, { revision: 2, annotations: { team: "a" } });
    const first = newReplicaSetAnnotations(d, rs, "5", true);
    expect(first.changed).toBe(true);
    expect(first.annotations[REVISION_ANNOTATION]).toBe("5");
    expect(first.annotations[REVISION_HISTORY_ANNOTATION]).toBe("2");
    const again = newReplicaSetAnnotations(d, { ...rs, metadata: { ...rs.metadata, annotations: first.annotations } }, "9", true);
    expect(again.annotations[REVISION_HISTORY_ANNOTATION]).toBe("2,5");
  });

  it("never lowers a revision (old ReplicaSets may have been deleted since)", () => {
    const rs = replicaSetFor(d, { revision: 8, annotations: { team: "a" } });
    expect(newReplicaSetAnnotations(d, rs, "3", true)).toEqual({ annotations: rs.metadata.annotations, changed: false });
  });

  it("compares revisions as numbers", () => {
    const rs = replicaSetFor(d, { revision: 9, annotations: { team: "a" } });
    expect(newReplicaSetAnnotations(d, rs, "10", true).annotations[REVISION_ANNOTATION]).toBe("10");
  });

  it("leaves a ReplicaSet with a malformed revision alone", () => {
    const rs = replicaSetFor(d, { annotations: { [REVISION_ANNOTATION]: "x" } });
    expect(newReplicaSetAnnotations(d, rs, "3", true).changed).toBe(false);
  });

  it("keeps the revision history within 2000 characters, dropping the oldest", () => {
    const history = Array.from({ length: 400 }, (_, i) => String(1000 + i)).join(",");
    expect(history.length).toBe(1999);
    const rs = replicaSetFor(d, { revision: 1400, annotations: { team: "a", [REVISION_HISTORY_ANNOTATION]: history } });
    const next = newReplicaSetAnnotations(d, rs, "1500", true).annotations[REVISION_HISTORY_ANNOTATION] ?? "";
    expect(next.length).toBeLessThanOrEqual(2000);
    expect(next.startsWith("1001,")).toBe(true);
    expect(next.endsWith(",1399,1400")).toBe(true);
  });
});

describe("replicas annotations", () => {
  it("sets desired and max replicas and tells whether they changed", () => {
    expect(setReplicasAnnotations({ a: "b" }, 3, 4)).toEqual({ annotations: { a: "b", [DESIRED_REPLICAS_ANNOTATION]: "3", [MAX_REPLICAS_ANNOTATION]: "4" }, changed: true });
    expect(setReplicasAnnotations({ [DESIRED_REPLICAS_ANNOTATION]: "3", [MAX_REPLICAS_ANNOTATION]: "4" }, 3, 4).changed).toBe(false);
  });

  it("reads int32 annotations, ignoring malformed ones", () => {
    const rs = replicaSetFor(deployment(), { annotations: { n: "12", bad: "1.5", big: "3000000000" } });
    expect(intAnnotation(rs, "n")).toBe(12);
    expect(intAnnotation(rs, "bad")).toBeUndefined();
    expect(intAnnotation(rs, "big")).toBeUndefined();
    expect(intAnnotation(rs, "missing")).toBeUndefined();
  });
});

describe("rollback annotations", () => {
  it("keeps the Deployment's bookkeeping and takes everything else from the ReplicaSet", () => {
    const out = rollbackAnnotations({ ...bookkeeping, "kubernetes.io/change-cause": "v3", extra: "x" }, { "kubernetes.io/change-cause": "v1", [REVISION_ANNOTATION]: "1" });
    expect(out).toEqual({ ...bookkeeping, "kubernetes.io/change-cause": "v1" });
  });

  it("reads the legacy rollback request", () => {
    expect(rollbackToRevision(deployment())).toBeUndefined();
    expect(rollbackToRevision(deployment({ annotations: { [ROLLBACK_TO_ANNOTATION]: "0" } }))).toBe(0);
    expect(rollbackToRevision(deployment({ annotations: { [ROLLBACK_TO_ANNOTATION]: "4" } }))).toBe(4);
    expect(rollbackToRevision(deployment({ annotations: { [ROLLBACK_TO_ANNOTATION]: "four" } }))).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import type { DeploymentAction } from "./actions.ts";
import { planDeployment } from "./plan.ts";
import { calculateStatus, withCollision } from "./sync.ts";
import { at, deployment, iso, replicaSetFor } from "./testdata/fixtures.ts";
import { Cluster } from "./testdata/simulator.ts";

const image = (c: Cluster, name: string | undefined) => c.replicaSet(name ?? "")?.spec.template.spec.containers[0]?.image;
const sizes = (c: Cluster) => c.rsList.map((rs): [string, number] => [image(c, rs.metadata.name) ?? "", rs.spec.replicas]);
const messages = (actions: DeploymentAction[]) => actions.flatMap((a) => ("events" in a ? a.events.map((e) => e.message) : []));

/** 10 v1 replicas rolled out, then a v2 whose pods never become available: stuck at 8 old + 5 new. */
function stuckRollout(maxSurge: number | string, maxUnavailable: number | string): Cluster {
  const c = new Cluster(deployment({ replicas: 10, maxSurge, maxUnavailable }));
  for (let i = 0; i < 10; i++) {
    c.reconcileDeployment();
    c.runReplicaSets();
    c.makeAvailable(() => 0, 1);
  }
  c.setImage("app:v2");
  for (let i = 0; i < 5; i++) {
    c.reconcileDeployment();
    c.runReplicaSets();
  }
  expect(sizes(c)).toEqual([["app:v1", 8], ["app:v2", 5]]);
  return c;
}

describe("proportional scaling of a stuck rollout, 10 → 30", () => {
  // Both ReplicaSets were last scaled at max-replicas 13 (10 + 3). The
  // scaling event sorts them largest first (old 8, new 5) and gives each
  // round(size × newMax / 13) − size, capped by what is left to add; the
  // rounding leftover goes to the first.
  it("maxSurge 3, maxUnavailable 2: allowed 33, +20 → old 8→20 (round(20.31)), new 5→13 (round(12.69))", () => {
    const c = stuckRollout(3, 2);
    const [oldName, newName] = c.rsList.map((rs) => rs.metadata.name);
    c.updateSpec((spec) => ({ ...spec, replicas: 30 }));
    const plan = c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 20], ["app:v2", 13]]);
    expect(messages(plan.actions)).toEqual([`Scaled up replica set ${oldName} from 8 to 20`, `Scaled up replica set ${newName} from 5 to 13`]);
    for (const rs of c.rsList) expect(rs.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/desired-replicas": "30", "deployment.kubernetes.io/max-replicas": "33" });
    // Still stuck afterwards: 33 − 28 − 13 < 0, nothing more moves.
    c.runReplicaSets();
    expect(c.reconcileDeployment().actions).toEqual([]);
    expect(sizes(c)).toEqual([["app:v1", 20], ["app:v2", 13]]);
  });

  it("25%/25% (the same 3/2 at 10 replicas, 8/7 at 30): allowed 38, +25 → old 8→23, new 5→15", () => {
    const c = stuckRollout("25%", "25%");
    c.updateSpec((spec) => ({ ...spec, replicas: 30 }));
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 23], ["app:v2", 15]]);
    expect(c.rsList.map((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/max-replicas"])).toEqual(["38", "38"]);
  });

  it("scales down in proportion too", () => {
    const c = stuckRollout(3, 2);
    c.updateSpec((spec) => ({ ...spec, replicas: 5 }));
    const plan = c.reconcileDeployment();
    // allowed 5 + 3 = 8, −5: old round(8·8/13)=5 (−3), new round(5·8/13)=3 (−2).
    expect(sizes(c)).toEqual([["app:v1", 5], ["app:v2", 3]]);
    expect(messages(plan.actions)).toHaveLength(2);
  });

  it("breaks ties by age: newer ones grow first, older ones shrink first", () => {
    const at10 = (replicas: number, image: string, created: number) => {
      const d = deployment({ replicas: 10, maxSurge: 0, maxUnavailable: 1, image });
      return replicaSetFor(d, { replicas: 5, revision: created, created, desired: 10, max: 10 });
    };
    const older = at10(5, "app:v1", 1);
    const newer = at10(5, "app:v2", 2);
    const target = (replicas: number) => deployment({ replicas, maxSurge: 0, maxUnavailable: 1, image: "app:v2", annotations: { "deployment.kubernetes.io/revision": "2" } });
    const moves = (replicas: number) =>
      planDeployment(target(replicas), [older, newer], [], at(30)).actions.flatMap((a) => (a.type === "scaleReplicaSet" && a.from !== a.to ? [[a.target.name, a.to]] : []));
    // 5·11/10 = 5.5 rounds to 6 for the first in line; 5·9/10 = 4.5 rounds to 5, so the leftover −1 goes to the first.
    expect(moves(11)).toEqual([[newer.metadata.name, 6]]);
    expect(moves(9)).toEqual([[older.metadata.name, 4]]);
  });

  it("takes everything to 0 when scaled to 0", () => {
    const c = stuckRollout(3, 2);
    c.updateSpec((spec) => ({ ...spec, replicas: 0 }));
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 0], ["app:v2", 0]]);
  });
});

describe("scaling without a rollout", () => {
  it("scales the only active ReplicaSet to replicas", () => {
    const d = deployment({ replicas: 5, annotations: { "deployment.kubernetes.io/revision": "1" } });
    const rs = replicaSetFor(d, { replicas: 3, available: 3, revision: 1, desired: 3, max: 4 });
    const plan = planDeployment(d, [rs], [], at(10));
    expect(plan.actions).toEqual([
      expect.objectContaining({ type: "scaleReplicaSet", from: 3, to: 5, annotations: { "deployment.kubernetes.io/desired-replicas": "5", "deployment.kubernetes.io/max-replicas": "7" } }),
    ]);
    expect(messages(plan.actions)).toEqual([`Scaled up replica set ${rs.metadata.name} from 3 to 5`]);
  });

  it("scales old ReplicaSets to 0 next to a saturated new one", () => {
    const v1 = deployment({ replicas: 3 });
    const d = deployment({ replicas: 3, image: "app:v2", annotations: { "deployment.kubernetes.io/revision": "2" } });
    const old = replicaSetFor(v1, { replicas: 2, available: 2, revision: 1, desired: 2 });
    const newRS = replicaSetFor(d, { replicas: 3, available: 3, revision: 2, created: 5 });
    const plan = planDeployment(d, [old, newRS], [], at(10));
    expect(plan.actions).toEqual([expect.objectContaining({ type: "scaleReplicaSet", target: expect.objectContaining({ name: old.metadata.name }), from: 2, to: 0 })]);
  });
});

describe("paused", () => {
  it("marks the pause, creates no ReplicaSet for a new template, and cleans up history", () => {
    const v1 = deployment({ replicas: 2 });
    const d = deployment({ replicas: 2, image: "app:v3", paused: true, revisionHistoryLimit: 0, annotations: { "deployment.kubernetes.io/revision": "2" } });
    const old = replicaSetFor(v1, { replicas: 0, revision: 1 });
    const current = replicaSetFor(deployment({ replicas: 2, image: "app:v2" }), { replicas: 2, available: 2, revision: 2, created: 5 });
    const plan = planDeployment(d, [old, current], [], at(10));
    expect(plan.actions.map((a) => a.type)).toEqual(["deleteReplicaSet", "deleteReplicaSet"].slice(0, 1));
    expect(plan.actions[0]).toMatchObject({ target: { name: old.metadata.name } });
    expect(plan.status.conditions?.find((x) => x.type === "Progressing")).toMatchObject({ status: "Unknown", reason: "DeploymentPaused", message: "Deployment is paused" });
    // Status counts only the ReplicaSets it has; none is "updated" yet.
    expect(plan.status).toMatchObject({ replicas: 2, updatedReplicas: 0, availableReplicas: 2 });
  });

  it("still scales proportionally", () => {
    const c = stuckRollout(3, 2);
    c.updateSpec((spec) => ({ ...spec, paused: true, replicas: 30 }));
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 20], ["app:v2", 13]]);
  });

  it("marks the resume, and rolls out what changed meanwhile", () => {
    const c = stuckRollout(3, 2);
    c.updateSpec((spec) => ({ ...spec, paused: true }));
    c.reconcileDeployment();
    c.updateSpec((spec) => ({ ...spec, paused: false }));
    c.setImage("app:v3");
    c.reconcileDeployment();
    const progressing = c.d.status?.conditions?.find((x) => x.type === "Progressing");
    // Resumed, then at once replaced by the new rollout's condition.
    expect(progressing).toMatchObject({ status: "True", reason: "NewReplicaSetCreated" });
    expect(c.rsList.map((rs) => image(c, rs.metadata.name))).toEqual(["app:v1", "app:v2", "app:v3"]);
  });
});

describe("history cleanup", () => {
  const v = (n: number) => deployment({ replicas: 1, image: `app:v${n}` });
  const old = (n: number, o: Parameters<typeof replicaSetFor>[1] = {}) => replicaSetFor(v(n), { revision: n, created: n, ...o });
  const current = (limit: number) => deployment({ replicas: 1, image: "app:v9", revisionHistoryLimit: limit, annotations: { "deployment.kubernetes.io/revision": "9" } });
  const newRS = replicaSetFor(v(9), { replicas: 1, available: 1, revision: 9, created: 9, desired: 1, max: 2 });
  const complete = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
  const deleted = (actions: DeploymentAction[]) => actions.flatMap((a) => (a.type === "deleteReplicaSet" ? [a.target.name] : []));

  it("keeps the newest `limit` old ReplicaSets once the rollout is complete", () => {
    const olds = [old(3), old(1), old(2), old(4)];
    const d = { ...current(2), status: complete };
    expect(deleted(planDeployment(d, [...olds, newRS], [], at(20)).actions)).toEqual([old(1).metadata.name, old(2).metadata.name]);
    expect(deleted(planDeployment({ ...current(0), status: complete }, [...olds, newRS], [], at(20)).actions)).toHaveLength(4);
  });

  it("does not clean up during a rollout", () => {
    expect(deleted(planDeployment(current(0), [old(1), newRS], [], at(20)).actions)).toEqual([]);
  });

  it("skips ReplicaSets that run pods, are asked to, or have not observed their spec, without taking the next", () => {
    const d = { ...current(1), status: complete };
    const olds = [old(1, { current: 1 }), old(2, { generation: 3, observedGeneration: 2 }), old(3)];
    expect(deleted(planDeployment(d, [...olds, newRS], [], at(20)).actions)).toEqual([]);
    const oneRunning = [old(1), old(2, { current: 1 }), old(3)];
    expect(deleted(planDeployment(d, [...oneRunning, newRS], [], at(20)).actions)).toEqual([old(1).metadata.name]);
  });
});

describe("status", () => {
  const d = deployment({ replicas: 4, generation: 7, status: { collisionCount: 2 } });

  it("adds up the ReplicaSets, with unavailable from spec and the display fields", () => {
    const old = replicaSetFor(deployment({ replicas: 4, image: "app:v0" }), { replicas: 2, current: 3, available: 2, ready: 3 });
    const newRS = replicaSetFor(d, { replicas: 3, current: 2, available: 1, ready: 1 });
    expect(calculateStatus([old, newRS], newRS, d, iso(5))).toMatchObject({
      observedGeneration: 7,
      replicas: 5,
      updatedReplicas: 2,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 2,
      collisionCount: 2,
      ready: "4/4",
      selector: "app=web",
    });
  });

  it("floors unavailable at 0 while scaling down", () => {
    const rs = replicaSetFor(d, { replicas: 2, current: 4, available: 4 });
    expect(calculateStatus([rs], rs, d, iso(5)).unavailableReplicas).toBe(0);
  });

  it("counts a hash collision", () => {
    expect(withCollision({}).collisionCount).toBe(1);
    expect(withCollision({ collisionCount: 4 }).collisionCount).toBe(5);
  });
});

describe("sync order", () => {
  it("only warns about an empty selector, and observes the generation", () => {
    const d = deployment({ generation: 3 });
    const empty = { ...d, spec: { ...d.spec, selector: {} } };
    const plan = planDeployment(empty, [], [], at(1));
    expect(plan.actions).toEqual([]);
    expect(plan.events).toEqual([{ type: "Warning", reason: "SelectingAll", message: "This deployment is selecting all pods. A non-empty selector is required." }]);
    expect(plan.status).toEqual({ observedGeneration: 3 });
  });

  it("only updates the status of a Deployment being deleted", () => {
    const d = deployment({ replicas: 5 });
    const plan = planDeployment({ ...d, metadata: { ...d.metadata, deletionTimestamp: iso(1) } }, [], [], at(2));
    expect(plan.actions).toEqual([]);
    expect(plan.status).toMatchObject({ replicas: 0, unavailableReplicas: 0 });
  });

  it("treats a changed replica count as a scaling event, not a rollout step", () => {
    const c = stuckRollout(3, 2);
    c.updateSpec((spec) => ({ ...spec, replicas: 13 }));
    c.reconcileDeployment();
    // A rollout step would have grown only the new ReplicaSet.
    expect(sizes(c)).toEqual([["app:v1", 10], ["app:v2", 6]]);
  });

  it("brings the new ReplicaSet's annotations and minReadySeconds in line before anything else", () => {
    const d = deployment({ replicas: 2, minReadySeconds: 5, annotations: { team: "a" } });
    const rs = replicaSetFor(deployment({ replicas: 2 }), { replicas: 2, available: 2, desired: 2, max: 3 });
    const plan = planDeployment(d, [rs], [], at(3));
    expect(plan.actions[0]).toEqual({
      type: "updateReplicaSetAnnotations",
      target: { name: rs.metadata.name, uid: rs.metadata.uid, resourceVersion: rs.metadata.resourceVersion },
      annotations: { team: "a", "deployment.kubernetes.io/revision": "1" },
      minReadySeconds: 5,
    });
    // The Deployment's revision follows on the next pass over the ReplicaSets.
    expect(plan.actions.map((a) => a.type)).toEqual(["updateReplicaSetAnnotations", "setDeploymentRevision"]);
  });
});

import { describe, expect, it } from "vitest";
import type { ReplicaSet } from "../../api/index.ts";
import type { DeploymentAction } from "./actions.ts";
import { planDeployment } from "./plan.ts";
import { at, deployment, replicaSetFor } from "./testdata/fixtures.ts";
import { Cluster } from "./testdata/simulator.ts";
import { computeHash } from "./util/hash.ts";

const v2Template = (c: Cluster) =>
  c.setImage("app:v2");

/** A cluster with `replicas` v1 pods rolled out and available. */
function rolledOut(replicas: number, maxSurge: number | string = "25%", maxUnavailable: number | string = "25%"): Cluster {
  const c = new Cluster(deployment({ replicas, maxSurge, maxUnavailable }));
  for (let i = 0; i < 30 && !c.rolloutComplete(); i++) {
    c.reconcileDeployment();
    c.runReplicaSets();
    c.makeAvailable(() => 0, 1);
  }
  c.reconcileDeployment();
  expect(c.rolloutComplete()).toBe(true);
  return c;
}

/** [name, spec.replicas] of every ReplicaSet, oldest first. */
const sizes = (c: Cluster) => c.rsList.map((rs): [string, number] => [rs.spec.template.spec.containers[0]?.image ?? "", rs.spec.replicas]);
const scaleEvents = (actions: DeploymentAction[]) => actions.flatMap((a) => ("events" in a ? a.events.map((e) => e.message) : []));

describe("the first rollout", () => {
  it("creates the ReplicaSet at full size, annotated, with upstream's event and conditions", () => {
    const d = deployment({ replicas: 3 });
    const plan = planDeployment(d, [], [], at(1));
    const hash = computeHash(d.spec.template);
    expect(plan.actions).toEqual([
      expect.objectContaining({ type: "createReplicaSet", events: [{ type: "Normal", reason: "ScalingReplicaSet", message: `Scaled up replica set web-${hash} from 0 to 3` }] }),
      { type: "setDeploymentRevision", revision: "1" },
    ]);
    const created = (plan.actions[0] as Extract<DeploymentAction, { type: "createReplicaSet" }>).replicaSet;
    expect(created.metadata.name).toBe(`web-${hash}`);
    expect(created.spec.replicas).toBe(3);
    expect(created.metadata.annotations).toEqual({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    expect(plan.status).toMatchObject({ observedGeneration: 1, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 3, ready: "0/3", selector: "app=web" });
    expect(plan.status.conditions).toEqual([
      { type: "Progressing", status: "True", reason: "NewReplicaSetCreated", message: `Created new replica set "web-${hash}"`, lastUpdateTime: "2024-05-01T10:00:01Z", lastTransitionTime: "2024-05-01T10:00:01Z" },
      { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", lastUpdateTime: "2024-05-01T10:00:01Z", lastTransitionTime: "2024-05-01T10:00:01Z" },
    ]);
  });

  it("ends Available and NewReplicaSetAvailable, then stays put", () => {
    const c = rolledOut(3);
    const rs = c.rsList[0] as ReplicaSet;
    expect(c.d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(c.d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 0, ready: "3/3" });
    expect(c.d.status?.conditions?.map((x) => [x.type, x.status, x.reason, x.message])).toEqual([
      ["Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."],
      ["Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rs.metadata.name}" has successfully progressed.`],
    ]);
    const again = c.reconcileDeployment();
    expect(again.actions).toEqual([]);
    expect(again.statusChanged).toBe(false);
    expect(again.requeueAfterMs).toBeUndefined();
  });
});

describe("rolling update steps", () => {
  it("3 replicas at 25%/25% (surge 1, unavailable 0): one new pod at a time, old ones only after it is available", () => {
    const c = rolledOut(3);
    v2Template(c);
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 3], ["app:v2", 1]]);
    c.runReplicaSets();
    expect(c.reconcileDeployment().actions).toEqual([]);
    c.makeAvailable(() => 0, 1);
    c.runReplicaSets();
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 2], ["app:v2", 1]]);
    c.runReplicaSets();
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 2], ["app:v2", 2]]);
  });

  it("10 replicas at 25%/25% (surge 3, unavailable 2): new at 3 and old down to 8 in one step, max-replicas 13", () => {
    const c = rolledOut(10);
    v2Template(c);
    const plan = c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 8], ["app:v2", 3]]);
    const newRS = c.rsList[1] as ReplicaSet;
    expect(newRS.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/desired-replicas": "10", "deployment.kubernetes.io/max-replicas": "13", "deployment.kubernetes.io/revision": "2" });
    const oldName = c.rsList[0]?.metadata.name;
    expect(scaleEvents(plan.actions)).toEqual([`Scaled up replica set ${newRS.metadata.name} from 0 to 3`, `Scaled down replica set ${oldName} from 10 to 8`]);
    expect(c.d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    c.runReplicaSets();
    c.reconcileDeployment();
    // The new pods never become available: stuck at 8 + 5, 8 available.
    expect(sizes(c)).toEqual([["app:v1", 8], ["app:v2", 5]]);
    c.runReplicaSets();
    expect(c.reconcileDeployment().actions).toEqual([]);
    expect(c.d.status).toMatchObject({ replicas: 13, updatedReplicas: 5, availableReplicas: 8, unavailableReplicas: 5 });
  });

  it("1 replica at 0%/10% (surge 0, unavailable 1): the old pod goes before the new one comes", () => {
    const c = rolledOut(1, "0%", "10%");
    v2Template(c);
    const plan = c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 0], ["app:v2", 0]]);
    // No event for a ReplicaSet created empty.
    expect(scaleEvents(plan.actions)).toEqual([`Scaled down replica set ${c.rsList[0]?.metadata.name} from 1 to 0`]);
    c.runReplicaSets();
    c.reconcileDeployment();
    expect(sizes(c)).toEqual([["app:v1", 0], ["app:v2", 1]]);
  });

  it("scales unhealthy old pods down first, without waiting for the new ones", () => {
    const d = deployment({ replicas: 10, image: "app:v2" });
    const old = replicaSetFor(deployment({ replicas: 10 }), { replicas: 8, available: 5, revision: 1, max: 13 });
    const newRS = replicaSetFor(d, { replicas: 5, available: 0, revision: 2, created: 10, max: 13 });
    const plan = planDeployment({ ...d, metadata: { ...d.metadata, annotations: { "deployment.kubernetes.io/revision": "2" } } }, [old, newRS], [], at(20));
    // Budget 13 − 8 − 5 = 0 with healthy old pods; 3 unhealthy ones change nothing to availability but the budget is still 0.
    expect(plan.actions).toEqual([]);
    const unhealthy = planDeployment(
      { ...d, metadata: { ...d.metadata, annotations: { "deployment.kubernetes.io/revision": "2" } } },
      [{ ...old, spec: { ...old.spec, replicas: 10 } }, { ...newRS, spec: { ...newRS.spec, replicas: 3 }, status: { replicas: 3, availableReplicas: 3 } }],
      [],
      at(20),
    );
    // Budget 13 − 8 − 0 = 5: the 5 unhealthy old pods go, though only 8 are available (= minAvailable).
    expect(unhealthy.actions.filter((a) => a.type === "scaleReplicaSet").map((a) => a.type === "scaleReplicaSet" && [a.from, a.to])).toEqual([[10, 5]]);
  });

  it("does not trust an old ReplicaSet whose status has not caught up with its last scale-down", () => {
    const d = deployment({ replicas: 10, image: "app:v2", annotations: { "deployment.kubernetes.io/revision": "2" } });
    const old = replicaSetFor(deployment({ replicas: 10 }), { replicas: 8, current: 10, available: 10, revision: 1, max: 13 });
    const newRS = replicaSetFor(d, { replicas: 5, available: 5, revision: 2, created: 10, max: 13 });
    expect(planDeployment(d, [old, newRS], [], at(20)).actions).toEqual([]);
  });

  it("scales a new ReplicaSet above replicas straight down", () => {
    const d = deployment({ replicas: 4, annotations: { "deployment.kubernetes.io/revision": "1" } });
    const rs = replicaSetFor(d, { replicas: 6, available: 6, revision: 1, desired: 4, max: 5 });
    const plan = planDeployment(d, [rs], [], at(5));
    expect(plan.actions).toEqual([expect.objectContaining({ type: "scaleReplicaSet", from: 6, to: 4 })]);
  });
});

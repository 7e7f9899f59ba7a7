import { describe, expect, it } from "vitest";
import type { Deployment } from "../../api/index.ts";
import type { DeploymentAction } from "./actions.ts";
import { planDeployment } from "./plan.ts";
import { at, deployment, replicaSetFor } from "./testdata/fixtures.ts";
import { Cluster } from "./testdata/simulator.ts";
import { ROLLBACK_TO_ANNOTATION } from "./util/constants.ts";

const v = (n: number, annotations: Record<string, string> = {}) => deployment({ replicas: 2, image: `app:v${n}`, annotations });
const rsOf = (n: number, replicas = 0, annotations: Record<string, string> = {}) =>
  replicaSetFor(v(n), { replicas, available: replicas, revision: n, created: n, desired: 2, max: 3, annotations });

function current(rollbackTo: string, extra: Record<string, string> = {}): Deployment {
  return v(3, { "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "v3", [ROLLBACK_TO_ANNOTATION]: rollbackTo, ...extra });
}

const update = (actions: DeploymentAction[]) => actions.find((a): a is Extract<DeploymentAction, { type: "updateDeployment" }> => a.type === "updateDeployment");

describe("the legacy rollback annotation", () => {
  const rss = [rsOf(1, 0, { "kubernetes.io/change-cause": "v1" }), rsOf(2), rsOf(3, 2, { "kubernetes.io/change-cause": "v3" })];

  it("0 rolls back to the previous revision: its template and annotations, the request cleared", () => {
    const plan = planDeployment(current("0"), rss, [], at(10));
    const u = update(plan.actions);
    expect(u?.template?.spec.containers[0]?.image).toBe("app:v2");
    expect(u?.template?.metadata?.labels).toEqual({ app: "web" });
    expect(u?.annotations).toEqual({ "deployment.kubernetes.io/revision": "3" });
    expect(u?.resourceVersion).toBe("100");
    expect(u?.events).toEqual([{ type: "Normal", reason: "DeploymentRollback", message: 'Rolled back deployment "web" to revision 2' }]);
    expect(plan.events).toEqual([]);
  });

  it("a revision rolls back to that one, taking its change-cause back", () => {
    const u = update(planDeployment(current("1"), rss, [], at(10)).actions);
    expect(u?.template?.spec.containers[0]?.image).toBe("app:v1");
    expect(u?.annotations).toEqual({ "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "v1" });
    expect(u?.events[0]?.message).toBe('Rolled back deployment "web" to revision 1');
  });

  it("warns and clears when there is no previous revision", () => {
    const plan = planDeployment(current("0"), [rsOf(3, 2)], [], at(10));
    expect(plan.events).toEqual([{ type: "Warning", reason: "DeploymentRollbackRevisionNotFound", message: "Unable to find last revision." }]);
    expect(update(plan.actions)).toMatchObject({ annotations: { "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "v3" }, events: [] });
    expect(update(plan.actions)?.template).toBeUndefined();
  });

  it("warns and clears when the revision does not exist", () => {
    const plan = planDeployment(current("7"), rss, [], at(10));
    expect(plan.events).toEqual([{ type: "Warning", reason: "DeploymentRollbackRevisionNotFound", message: "Unable to find the revision to rollback to." }]);
    expect(update(plan.actions)?.annotations[ROLLBACK_TO_ANNOTATION]).toBeUndefined();
  });

  it("warns and clears when the revision has the current template", () => {
    const plan = planDeployment(current("3"), rss, [], at(10));
    expect(plan.events).toEqual([{ type: "Warning", reason: "DeploymentRollbackTemplateUnchanged", message: 'The rollback revision contains the same template as current deployment "web"' }]);
    expect(update(plan.actions)?.template).toBeUndefined();
  });

  it("ignores a request that is not a number", () => {
    const plan = planDeployment(current("two"), rss, [], at(10));
    expect(update(plan.actions)).toBeUndefined();
  });

  it("runs before scaling events, and nothing else runs with it", () => {
    const d = current("0");
    const plan = planDeployment({ ...d, spec: { ...d.spec, replicas: 5 } }, rss, [], at(10));
    expect(plan.actions.map((a) => a.type)).toEqual(["updateDeployment"]);
  });
});

describe("rolling back reuses the old ReplicaSet, which takes the next revision", () => {
  function rolledOutTwice(): Cluster {
    const c = new Cluster(deployment({ replicas: 2 }));
    const settle = () => {
      for (let i = 0; i < 20; i++) {
        c.reconcileDeployment();
        c.runReplicaSets();
        c.makeAvailable(() => 0, 1);
      }
    };
    settle();
    c.setImage("app:v2");
    settle();
    expect(c.rsList.map((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"])).toEqual(["1", "2"]);
    return c;
  }

  it("through the annotation", () => {
    const c = rolledOutTwice();
    const [first] = c.rsList.map((rs) => rs.metadata.name);
    c.setAnnotation(ROLLBACK_TO_ANNOTATION, "0");
    for (let i = 0; i < 20; i++) {
      c.reconcileDeployment();
      c.runReplicaSets();
      c.makeAvailable(() => 0, 1);
    }
    expect(c.rsList).toHaveLength(2);
    const reused = c.replicaSet(first ?? "");
    expect(reused?.spec.replicas).toBe(2);
    expect(reused?.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1" });
    expect(c.d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(c.d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION]).toBeUndefined();
    expect(c.events.filter((e) => e.reason === "DeploymentRollback").map((e) => e.message)).toEqual(['Rolled back deployment "web" to revision 1']);
  });

  it("as kubectl rollout undo does it: the old template copied into the Deployment", () => {
    const c = rolledOutTwice();
    const [first] = c.rsList;
    const template = structuredClone(first?.spec.template);
    if (!template) throw new Error("no first ReplicaSet");
    delete template.metadata?.labels?.["pod-template-hash"];
    c.updateSpec((spec) => ({ ...spec, template }));
    for (let i = 0; i < 20; i++) {
      c.reconcileDeployment();
      c.runReplicaSets();
      c.makeAvailable(() => 0, 1);
    }
    expect(c.rsList).toHaveLength(2);
    expect(c.replicaSet(first?.metadata.name ?? "")?.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1" });
    expect(c.rolloutComplete()).toBe(true);
  });
});

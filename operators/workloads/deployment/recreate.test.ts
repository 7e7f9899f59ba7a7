import { describe, expect, it } from "vitest";
import type { PodPhase } from "../../api/index.ts";
import type { DeploymentAction } from "./actions.ts";
import { planDeployment } from "./plan.ts";
import { at, deployment, podOf, replicaSetFor } from "./testdata/fixtures.ts";

const recreate = { type: "Recreate" as const };
const v1 = deployment({ replicas: 3, strategy: recreate });
const v2 = deployment({ replicas: 3, strategy: recreate, image: "app:v2", generation: 2, annotations: { "deployment.kubernetes.io/revision": "1" } });
const messages = (actions: DeploymentAction[]) => actions.flatMap((a) => ("events" in a ? a.events.map((e) => e.message) : []));

describe("Recreate", () => {
  it("scales every old ReplicaSet to 0 first, creating nothing", () => {
    const old = replicaSetFor(v1, { replicas: 3, available: 3, revision: 1, desired: 3, max: 3 });
    const plan = planDeployment(v2, [old], [], at(10));
    expect(plan.actions).toEqual([expect.objectContaining({ type: "scaleReplicaSet", from: 3, to: 0 })]);
    expect(messages(plan.actions)).toEqual([`Scaled down replica set ${old.metadata.name} from 3 to 0`]);
  });

  it("waits while an old ReplicaSet still reports pods", () => {
    const old = replicaSetFor(v1, { replicas: 0, current: 2, revision: 1, desired: 3, max: 3 });
    expect(planDeployment(v2, [old], [], at(10)).actions).toEqual([]);
  });

  it.each<[PodPhase, boolean]>([
    ["Pending", true],
    ["Running", true],
    ["Unknown", true],
    ["Succeeded", false],
    ["Failed", false],
  ])("waits while an old pod is %s: %s", (phase, waits) => {
    const old = replicaSetFor(v1, { replicas: 0, current: 0, revision: 1, desired: 3, max: 3 });
    const plan = planDeployment(v2, [old], [podOf(old, "p", phase)], at(10));
    expect(plan.actions.some((a) => a.type === "createReplicaSet")).toBe(!waits);
  });

  it("then creates the new ReplicaSet at full size", () => {
    const old = replicaSetFor(v1, { replicas: 0, current: 0, revision: 1, desired: 3, max: 3 });
    const plan = planDeployment(v2, [old], [], at(10));
    const create = plan.actions.find((a) => a.type === "createReplicaSet");
    expect(create?.type === "createReplicaSet" && create.replicaSet.spec.replicas).toBe(3);
    expect(create?.type === "createReplicaSet" && create.replicaSet.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "2",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "3",
    });
    expect(messages(plan.actions)).toEqual([`Scaled up replica set ${create?.type === "createReplicaSet" && create.replicaSet.metadata.name} from 0 to 3`]);
  });

  it("ignores the new ReplicaSet's own pods, and scales it up", () => {
    const old = replicaSetFor(v1, { replicas: 0, revision: 1, desired: 3, max: 3 });
    const newRS = replicaSetFor(v2, { replicas: 1, revision: 2, created: 5, desired: 3, max: 3 });
    const plan = planDeployment({ ...v2, metadata: { ...v2.metadata, annotations: { "deployment.kubernetes.io/revision": "2" } } }, [old, newRS], [podOf(newRS, "n", "Running")], at(10));
    expect(plan.actions).toEqual([expect.objectContaining({ type: "scaleReplicaSet", from: 1, to: 3 })]);
  });
});

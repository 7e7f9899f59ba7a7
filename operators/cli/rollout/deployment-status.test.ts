import { describe, expect, it } from "vitest";
import { CliError } from "../errors.ts";
import { deploymentRolloutStatus, type DeploymentObject } from "./deployment-status.ts";

function deployment(status: DeploymentObject["status"], opts: { replicas?: number; generation?: number; revision?: string } = {}): DeploymentObject {
  return {
    metadata: { name: "web", generation: opts.generation ?? 2, annotations: opts.revision ? { "deployment.kubernetes.io/revision": opts.revision } : {} },
    spec: { replicas: opts.replicas ?? 3, template: { spec: { containers: [] } } as never },
    status: { observedGeneration: 2, ...status },
  };
}

describe("deploymentRolloutStatus (kubectl's DeploymentStatusViewer)", () => {
  it("walks the stages of a rollout in kubectl's words", () => {
    const stages = [
      deployment({ observedGeneration: 1 }),
      deployment({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 }),
      deployment({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 }),
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 1 }),
      deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }),
    ].map((d) => deploymentRolloutStatus(d, 0));
    expect(stages).toEqual([
      { message: "Waiting for deployment spec update to be observed...\n", done: false },
      { message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n', done: false },
      { message: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n', done: false },
      { message: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n', done: false },
      { message: 'deployment "web" successfully rolled out\n', done: true },
    ]);
  });

  it("treats missing counts as 0: a Deployment scaled to 0 is rolled out", () => {
    expect(deploymentRolloutStatus(deployment({}, { replicas: 0 }), 0).done).toBe(true);
  });

  it("fails once the progress deadline passed, but only for an observed spec", () => {
    const timedOut = { updatedReplicas: 1, conditions: [{ type: "Progressing", status: "False" as const, reason: "ProgressDeadlineExceeded" }] };
    expect(() => deploymentRolloutStatus(deployment(timedOut), 0)).toThrow(new CliError('deployment "web" exceeded its progress deadline'));
    expect(deploymentRolloutStatus(deployment({ ...timedOut, observedGeneration: 1 }), 0).message).toBe("Waiting for deployment spec update to be observed...\n");
  });

  it("pins a revision: another one running is an error", () => {
    const d = deployment({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, { revision: "4" });
    expect(deploymentRolloutStatus(d, 4).done).toBe(true);
    expect(() => deploymentRolloutStatus(d, 3)).toThrow("desired revision (3) is different from the running revision (4)");
    expect(() => deploymentRolloutStatus(deployment({}, { revision: "x" }), 1)).toThrow('cannot get the revision of deployment "web": strconv.ParseInt: parsing "x": invalid syntax');
  });
});

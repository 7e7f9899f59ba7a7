// The Deployment controller, wired to a manager.
import { kindRef, kinds } from "../../api/index.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import type { Manager } from "../../runtime/manager/manager.ts";
import { DeploymentController } from "./deployment_controller.ts";

export { DeploymentController, DEPLOYMENT_KIND } from "./deployment_controller.ts";
export type { DeploymentControllerDeps } from "./deployment_controller.ts";
export { planDeployment } from "./plan.ts";
export type { DeploymentAction, DeploymentPlan, ReplicaSetRef } from "./actions.ts";
export type { PlannedEvent } from "./events.ts";

/** Upstream's default --concurrent-deployment-syncs. */
const WORKERS = 5;

/** Registers the controller: it reconciles mirror Deployments, their mirror ReplicaSets, and watches mirror Pods for Recreate. */
export function registerDeploymentController(mgr: Manager): void {
  const deploymentRef = kindRef(kinds.Deployment);
  const rsRef = kindRef(kinds.ReplicaSet);
  const podRef = kindRef(kinds.Pod);
  const dc = new DeploymentController({
    deployments: mgr.informerFor<KubeObject>(deploymentRef).store,
    replicaSets: mgr.informerFor<KubeObject>(rsRef).store,
    pods: mgr.informerFor<KubeObject>(podRef).store,
    deploymentClient: mgr.client<KubeObject>(deploymentRef),
    replicaSetClient: mgr.client<KubeObject>(rsRef),
    // Upstream's event source, so `kubectl describe` reads the same.
    events: mgr.recorder("deployment-controller"),
  });
  mgr
    .controller("deployment")
    .for(deploymentRef)
    // Owned ReplicaSets by their controller reference, and orphans by selector (to adopt them).
    .watch(rsRef, dc.replicaSetMapper)
    .watch(podRef, dc.podMapper)
    .withWorkers(WORKERS)
    .complete((req, ctx) => dc.sync(req, ctx));
}

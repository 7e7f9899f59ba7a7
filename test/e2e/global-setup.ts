import type { TestProject } from "vitest/node";
import { applyCrds } from "../../hack/crds.ts";
import { down } from "../../hack/cluster/down.ts";
import { ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { readState } from "../../hack/cluster/state.ts";
import { health } from "../../hack/cluster/status.ts";
import { startManager } from "./support/manager-process.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    managerMetricsPort: number;
  }
}

/**
 * One cluster for the whole e2e run: KUBECONFIG when set, else the local
 * control plane. A cluster this run started is stopped at the end unless
 * MIRRORKUBE_KEEP_CLUSTER=1; one that was already running is left alone.
 * The CRDs are applied and one manager with every controller runs for the
 * whole run, out of cluster, as `npm start` runs it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const progress = new Progress("e2e");
  const state = readState();
  const wasRunning = !!process.env.KUBECONFIG || (state !== undefined && (await health(state)).healthy);
  const cluster = await ensureCluster(progress);
  project.provide("kubeconfig", cluster.kubeconfig);
  progress.say(`applied ${await applyCrds(cluster.kubeconfig)} CRDs`);
  const extender = cluster.local ? [`--extender-bind-address=127.0.0.1:${cluster.local.ports.extender}`] : [];
  const manager = await startManager(cluster.kubeconfig, extender, "manager-e2e");
  project.provide("managerMetricsPort", manager.metricsPort);
  progress.say(`manager running (pid ${manager.child.pid}, log ${manager.log})`);
  return async () => {
    manager.child.kill("SIGTERM");
    await manager.exited;
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  };
}

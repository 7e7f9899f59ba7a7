import type { TestProject } from "vitest/node";
import { down } from "../../hack/cluster/down.ts";
import { ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { readState } from "../../hack/cluster/state.ts";
import { health } from "../../hack/cluster/status.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
  }
}

/**
 * One cluster for the whole e2e run: KUBECONFIG when set, else the local
 * control plane. A cluster this run started is stopped at the end unless
 * MIRRORKUBE_KEEP_CLUSTER=1; one that was already running is left alone.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const progress = new Progress("e2e");
  const state = readState();
  const wasRunning = !!process.env.KUBECONFIG || (state !== undefined && (await health(state)).healthy);
  const cluster = await ensureCluster(progress);
  project.provide("kubeconfig", cluster.kubeconfig);
  return async () => {
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  };
}

import type { TestProject } from "vitest/node";
import { applyCrds } from "../../hack/crds.ts";
import { down } from "../../hack/cluster/down.ts";
import { defaultNodes, ensureCluster } from "../../hack/cluster/index.ts";
import { Progress } from "../../hack/cluster/progress.ts";
import { realNodesFromEnv } from "../../hack/cluster/real-node/index.ts";
import { readState } from "../../hack/cluster/state.ts";
import { health } from "../../hack/cluster/status.ts";
import { localManagerArgs } from "../../hack/cluster/manager-args.ts";
import { ensureHelm } from "../../hack/helm.ts";
import { chartServiceAccountKubeconfig } from "./support/chart.ts";
import { startManager } from "./support/manager-process.ts";
import { removeWebhookConfiguration, sharedManagerWebhookArgs, waitUntilReady } from "./support/webhook.ts";

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    managerMetricsPort: number;
    /** The shared manager's credentials: a token of the chart's ServiceAccount. */
    managerKubeconfig: string;
  }
}

/**
 * One cluster for the whole e2e run: KUBECONFIG when set, else the local
 * control plane. A cluster this run started is stopped at the end unless
 * MIRRORKUBE_KEEP_CLUSTER=1; one that was already running is left alone.
 * The CRDs are applied and one manager with every controller runs for the
 * whole run, out of cluster, as `npm start` runs it, but on a token of the
 * Helm chart's ServiceAccount with the chart's RBAC: what the tests see it
 * do, the chart's rules allow.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const progress = new Progress("e2e");
  const state = readState();
  const wasRunning = !!process.env.KUBECONFIG || (state !== undefined && (await health(state)).healthy);
  // MIRRORKUBE_REAL_NODES=1|auto adds a real node (CI sets auto); the real-node tests skip without one.
  const cluster = await ensureCluster(progress, defaultNodes, process.env.KUBECONFIG ? 0 : realNodesFromEnv(process.env.MIRRORKUBE_REAL_NODES, progress));
  project.provide("kubeconfig", cluster.kubeconfig);
  progress.say(`applied ${await applyCrds(cluster.kubeconfig)} CRDs`);
  const local = cluster.local ? localManagerArgs(cluster.local) : [];
  // The API server reaches a webhook on 127.0.0.1 only when it runs here.
  const webhook = cluster.local ? await sharedManagerWebhookArgs() : [];
  const rbac = await chartServiceAccountKubeconfig(await ensureHelm(progress), cluster.kubeconfig);
  // helm.test.ts runs Helm 4 too: built here, once per machine, where no hook timeout cuts a cold build short.
  await ensureHelm(progress, 4);
  progress.say(`manager runs as the chart's ServiceAccount (kubeconfig ${rbac.kubeconfig})`);
  // Leader-elected as the chart runs it (its lease: mirrorkube-system/mirrorkube-manager, the one its Role
  // grants), so leader_election_master_status is there for the dashboard and alerts (prometheus.test.ts).
  const manager = await startManager(rbac.kubeconfig, [...rbac.leaderElectionArgs, ...local, ...webhook], "manager-e2e");
  if (cluster.local) await waitUntilReady(manager);
  project.provide("managerMetricsPort", manager.metricsPort);
  project.provide("managerKubeconfig", rbac.kubeconfig);
  progress.say(`manager running (pid ${manager.child.pid}, log ${manager.log})`);
  return async () => {
    manager.child.kill("SIGTERM");
    await manager.exited;
    // Left in place it would refuse every mirror create until a manager serves it again.
    if (cluster.local) await removeWebhookConfiguration(cluster.kubeconfig);
    await rbac.remove();
    if (!wasRunning && !process.env.MIRRORKUBE_KEEP_CLUSTER) await down(progress);
  };
}

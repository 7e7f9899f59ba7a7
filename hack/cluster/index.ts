import { KubeConfig, VersionApi } from "@kubernetes/client-node";
import { ClusterError } from "./errors.ts";
import { withLock } from "./lock.ts";
import { clusterDir, kubeconfigFile } from "./paths.ts";
import type { Progress } from "./progress.ts";
import type { ClusterState } from "./state.ts";
import { up } from "./up.ts";

export interface Cluster {
  kubeconfig: string;
  /** Set for the local control plane; undefined when KUBECONFIG points elsewhere. */
  local?: ClusterState;
}

export const defaultNodes = 3;

/** The cluster every command uses: KUBECONFIG when set, else the local control plane (started if needed). */
export async function ensureCluster(progress: Progress, nodes = defaultNodes, realNodes = 0): Promise<Cluster> {
  const external = process.env.KUBECONFIG;
  if (external) {
    if (realNodes > 0) throw new ClusterError("--real-nodes starts a kubelet for the local control plane; KUBECONFIG points at another cluster", "Unset KUBECONFIG, or run without --real-nodes.");
    const server = await checkReachable(external);
    progress.say(`KUBECONFIG is set: using ${server}`);
    return { kubeconfig: external };
  }
  const local = await withLock(`${clusterDir}.lock`, () => progress.say("another cluster:up is running; waiting for it"), () => up({ nodes, realNodes }, progress));
  return { kubeconfig: kubeconfigFile, local };
}

async function checkReachable(kubeconfig: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig.split(":")[0]!);
  const server = kc.getCurrentCluster()?.server ?? "(no server)";
  try {
    const v = await kc.makeApiClient(VersionApi).getCode();
    return `${server} (Kubernetes ${v.gitVersion})`;
  } catch (err) {
    throw new ClusterError(`the cluster in KUBECONFIG (${server}) does not answer: ${(err as Error).message}`, "Check the cluster, or unset KUBECONFIG to use the local control plane.");
  }
}

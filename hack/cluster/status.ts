import { join } from "node:path";
import { layout } from "./components.ts";
import { clusterDir } from "./paths.ts";
import { adminTls, httpGet } from "./probe.ts";
import { isRunning } from "./processes.ts";
import type { ClusterState } from "./state.ts";

export interface HealthReport {
  healthy: boolean;
  problems: string[];
  components: { name: string; pid: number; running: boolean; log: string }[];
}

/** A cluster is healthy when it finished starting, every process runs and the apiserver is ready. */
export async function health(state: ClusterState): Promise<HealthReport> {
  const components = state.processes.map((p) => ({ name: p.name, pid: p.pid, running: isRunning(p), log: p.log }));
  const problems = components.filter((c) => !c.running).map((c) => `${c.name} is not running`);
  if (!state.readyAt) problems.push("it never finished starting");
  if (problems.length === 0) {
    let ready = false;
    try {
      ready = (await httpGet(`https://127.0.0.1:${state.ports.apiserver}/readyz`, adminTls(layout(clusterDir).pki)))?.status === 200;
    } catch {
      // pki missing: not ready
    }
    if (!ready) problems.push("kube-apiserver is not ready");
  }
  return { healthy: problems.length === 0, problems, components };
}

export function describe(state: ClusterState, report: HealthReport): string {
  const lines = [
    `cluster: ${report.healthy ? "running" : `NOT healthy (${report.problems.join("; ")})`}`,
    `kubernetes: ${state.kubernetesVersion}, ${state.nodes} kwok nodes${state.realNode ? `, real node ${state.realNode.name} (${state.realNode.nodeIP}, pods ${state.realNode.podCIDR})` : ""}, started ${state.startedAt}`,
    `apiserver: https://127.0.0.1:${state.ports.apiserver}   kubeconfig: ${join(clusterDir, "kubeconfig")}`,
    ...report.components.map((c) => `  ${c.name.padEnd(24)} pid ${String(c.pid).padEnd(8)} ${c.running ? "running" : "STOPPED"}   ${c.log}`),
  ];
  return lines.join("\n");
}

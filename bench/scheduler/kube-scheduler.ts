// Restarting the cluster's kube-scheduler, so it starts (like our manager
// does) in front of a backlog of pending Pods, with or without mirrorkube's
// extender in its configuration.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { layout, schedulerArgs, schedulerConfig } from "../../hack/cluster/components.ts";
import { clusterDir, logsDir } from "../../hack/cluster/paths.ts";
import { httpGet, waitReady } from "../../hack/cluster/probe.ts";
import { startProcess, stopProcess } from "../../hack/cluster/processes.ts";
import { writeState, type ClusterState } from "../../hack/cluster/state.ts";

const NAME = "kube-scheduler";

export async function stopKubeScheduler(state: ClusterState): Promise<void> {
  const proc = state.processes.find((p) => p.name === NAME);
  if (proc) await stopProcess(proc);
}

/** Starts kube-scheduler again (a fresh process: empty caches, counters at 0) and waits until it is healthy. */
export async function startKubeScheduler(state: ClusterState, withExtender: boolean): Promise<number> {
  const l = layout(clusterDir);
  const config = join(clusterDir, withExtender ? "scheduler.yaml" : "scheduler-no-extender.yaml");
  writeFileSync(config, schedulerConfig(l, state.ports, withExtender));
  const args = schedulerArgs(l, state.ports).map((a) => (a.startsWith("--config=") ? `--config=${config}` : a));
  const proc = startProcess(NAME, state.localkube, args, join(logsDir, `${NAME}.log`));
  state.processes = [...state.processes.filter((p) => p.name !== NAME), proc];
  writeState(state);
  const started = performance.now();
  await waitReady(proc, async () => (await httpGet(`https://127.0.0.1:${state.ports.scheduler}/healthz`))?.status === 200);
  return started;
}

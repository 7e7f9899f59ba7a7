import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ensureBinaries, kubernetesVersion } from "./build.ts";
import {
  apiserverArgs,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  layout,
  schedulerArgs,
  schedulerConfig,
  type Layout,
} from "./components.ts";
import { ClusterError } from "./errors.ts";
import { kubectl } from "./kubectl.ts";
import { kwokPodStages } from "./kwok-stages.ts";
import { kwokNodes } from "./nodes.ts";
import { clusterBinDir, clusterDir, kubeconfigFile, logsDir } from "./paths.ts";
import { freePorts } from "./ports.ts";
import { adminTls, httpGet, waitReady } from "./probe.ts";
import { startProcess, stopProcess, type RunningProcess } from "./processes.ts";
import { assertRealNodePossible, startRealNode, stopRealNode, type Launch } from "./real-node/index.ts";
import type { Progress } from "./progress.ts";
import { portNames, readState, writeState, type ClusterState } from "./state.ts";
import { health } from "./status.ts";

export interface UpOptions {
  nodes: number;
  /** 0 or 1: a kubelet, containerd, kube-proxy and CoreDNS on this machine (real-node/). */
  realNodes: number;
}

/**
 * Brings up the local control plane, or reuses a healthy one. Every component
 * runs as its own detached process, so the cluster outlives this call.
 */
export async function up(opts: UpOptions, progress: Progress): Promise<ClusterState> {
  if (opts.realNodes > 0) assertRealNodePossible();
  const existing = readState();
  if (existing) {
    const report = await health(existing);
    if (report.healthy) {
      progress.say(`reusing the running cluster (started ${existing.startedAt})`);
      if (opts.nodes > existing.nodes) await addNodes(existing, opts.nodes, progress);
      if (opts.realNodes > 0 && !existing.realNode) await addRealNode(existing, progress);
      return existing;
    }
    progress.say(`found a stale cluster in .cluster (${report.problems.join("; ")}); stopping what is left of it`);
  }
  // A real node left by a crash (its processes gone, or even its state) still has pods, mounts and cgroups to give back.
  await stopRealNode(clusterDir, progress);
  if (existing) await stopAll(existing.processes);
  rmSync(clusterDir, { recursive: true, force: true });
  const { localkube, kwok } = await ensureBinaries(progress);
  mkdirSync(logsDir, { recursive: true });
  const l = layout(clusterDir);
  const ports = await freePorts(portNames);
  const state: ClusterState = { kubernetesVersion, localkube, kwok, ports, processes: [], nodes: 0, startedAt: new Date().toISOString() };
  try {
    await start(state, l, progress);
    await addNodes(state, opts.nodes, progress);
    if (opts.realNodes > 0) await startRealNode(state, launcher(state), progress);
    state.readyAt = new Date().toISOString();
    writeState(state);
    progress.say(`cluster ready: kubeconfig ${kubeconfigFile}; kubectl at ${join(clusterBinDir, "kubectl")}`);
    return state;
  } catch (err) {
    progress.say("startup failed; stopping the components that did start");
    await stopRealNode(clusterDir, progress);
    await stopAll(state.processes);
    writeState(state); // no readyAt: status reports it as not running
    throw err;
  }
}

/** A real node for a running cluster; if it fails to start, what did start goes and the cluster stays as it was. */
async function addRealNode(state: ClusterState, progress: Progress): Promise<void> {
  try {
    await startRealNode(state, launcher(state), progress);
  } catch (err) {
    progress.say("the real node did not start; removing what of it did");
    await stopRealNode(clusterDir, progress);
    throw err;
  }
}

/** Starts a component detached, logging to logs/<name>.log, and records it in the state at once. */
function launcher(state: ClusterState): Launch {
  return (name, exe, args, env) => {
    const proc = startProcess(name, exe, args, join(logsDir, `${name}.log`), env);
    state.processes.push(proc);
    writeState(state);
    return proc;
  };
}

async function start(state: ClusterState, l: Layout, progress: Progress): Promise<void> {
  const { localkube, ports } = state;
  const run = launcher(state);

  progress.say("writing certificates");
  const certs = spawnSync(localkube, ["certs", `--dir=${l.dir}`, `--server=https://127.0.0.1:${ports.apiserver}`], { encoding: "utf8" });
  if (certs.status !== 0) throw new ClusterError(`localkube certs failed: ${certs.stderr}`);
  copyFileSync(l.adminKubeconfig, kubeconfigFile);
  mkdirSync(clusterBinDir, { recursive: true });
  symlinkSync(localkube, join(clusterBinDir, "kubectl"));
  writeFileSync(l.schedulerConfig, schedulerConfig(l, ports));
  writeFileSync(l.kwokConfig, kwokPodStages());
  const tls = adminTls(l.pki);

  progress.say(`starting etcd on :${ports.etcd}`);
  const etcd = run("etcd", localkube, etcdArgs(l, ports));
  await waitReady(etcd, async () => (await httpGet(`http://127.0.0.1:${ports.etcd}/health`))?.body.includes('"health":"true"') ?? false);

  progress.say(`starting kube-apiserver on :${ports.apiserver}`);
  const apiserver = run("kube-apiserver", localkube, apiserverArgs(l, ports));
  await waitReady(apiserver, async () => (await httpGet(`https://127.0.0.1:${ports.apiserver}/readyz`, tls))?.status === 200);

  progress.say(`starting kube-controller-manager on :${ports.controllerManager} and kube-scheduler on :${ports.scheduler}`);
  const kcm = run("kube-controller-manager", localkube, controllerManagerArgs(l, ports));
  const scheduler = run("kube-scheduler", localkube, schedulerArgs(l, ports));
  const healthz = (port: number) => async () => (await httpGet(`https://127.0.0.1:${port}/healthz`))?.status === 200;
  await Promise.all([waitReady(kcm, healthz(ports.controllerManager)), waitReady(scheduler, healthz(ports.scheduler))]);

  progress.say(`starting kwok on :${ports.kwok}`);
  const kwok = run("kwok", state.kwok, kwokArgs(l, ports));
  await waitReady(kwok, async () => (await httpGet(`http://127.0.0.1:${ports.kwok}/healthz`))?.status === 200);

  // The service account controller is what makes a namespace usable for Pods.
  progress.say("waiting for the default service account");
  await waitReady(kcm, async () => (await kubectl(localkube, kubeconfigFile, ["get", "serviceaccount", "default", "-n", "default"])).code === 0);
}

async function addNodes(state: ClusterState, count: number, progress: Progress): Promise<void> {
  if (count === 0) return;
  progress.say(`creating ${count} kwok nodes`);
  const apply = await kubectl(state.localkube, kubeconfigFile, ["apply", "-f", "-"], kwokNodes(count));
  if (apply.code !== 0) throw new ClusterError(`creating kwok nodes failed: ${apply.stderr}`);
  const kwok = state.processes.find((p) => p.name === "kwok");
  if (!kwok) throw new ClusterError("kwok is not running");
  await waitReady(kwok, async () => (await kubectl(state.localkube, kubeconfigFile, ["wait", "--for=condition=Ready", "nodes", "-l", "type=kwok", "--timeout=5s"])).code === 0, 120_000);
  state.nodes = count;
  writeState(state);
}

export async function stopAll(processes: RunningProcess[]): Promise<void> {
  // Reverse start order: clients before the apiserver, the apiserver before etcd.
  for (const proc of [...processes].reverse()) await stopProcess(proc);
}

